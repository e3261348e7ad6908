package org.lincde.tables.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lincde.tables.GpuMeasurements;
import org.lincde.tables.render.Table;

/** The GPU rows: lincde beside the authors' model, their ratio, and a reason wherever a number is missing. */
class GpuRowsTest {
    @Test
    void ratioAndReasons() {
        Table t = GpuRows.table(GpuMeasurements.load("gpu-fixture/", "set1"));
        List<String> d = t.rows().get(0);
        // fixture: lincde 0.5 s, the authors' 0.25 s a step at the regular size → 2.00; L 17 984 hit the time limit
        assertThat(d).containsExactly("D-LNCDE", "0.500", "0.250", "2.00",
                "not finished in the run's 30 s for this step", "not in this run", "—");
        List<String> de = t.rows().get(4);
        assertThat(de.get(0)).isEqualTo("DE-LNCDE");
        assertThat(de.get(1)).isEqualTo("CUDA out of memory (asked for 17.56 GiB more)");
        assertThat(de.get(3)).isEqualTo("—");
        List<String> s5 = t.rows().stream().filter(r -> r.get(0).equals("S5 (R3)")).findFirst().orElseThrow();
        assertThat(s5).containsExactly("S5 (R3)", "not in this run", "no authors' model in this comparison", "—",
                "2.25", "no authors' model in this comparison", "70");
        assertThat(t.rows()).hasSize(GpuRows.MODELS.size());
    }
}
