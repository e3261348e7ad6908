package org.lincde.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The GPU run's files read back: each successful bench step takes the next bench.json line, a failed one the
 * reason its log gives, peak memory the largest nvidia-smi sample inside the step's window (its first second
 * left out). The fixture's values are chosen so each rule gives a different answer from its neighbours'.
 */
class GpuMeasurementsTest {
    private static final String FIXTURE = "gpu-fixture/";

    @Test
    void stepsLinesReasonsAndMemoryWindows() {
        GpuMeasurements g = GpuMeasurements.load(FIXTURE, "set1");
        assertThat(g.gpu()).isEqualTo("Test GPU X");
        assertThat(g.provenance()).contains("2026-01-02", "abc1234", "9.9.9+cu999", "docs/measurements/set1/");

        GpuMeasurements.Cell d = g.lincde("diagonal", "regular");
        assertThat(d.secPerStep()).contains(0.5);
        // window [03:04:07, 03:04:10]: 100, 300, 200; the 900 before and the 999 after are outside
        assertThat(d.peakGpuMib()).contains(300.0);
        GpuMeasurements.Cell s5 = g.lincde("r3:S5", "eigenworms");
        assertThat(s5.secPerStep()).contains(2.25);
        assertThat(s5.peakGpuMib()).contains(70.0);
        assertThat(s5.secondsPer1000()).isEqualTo("2,250");

        assertThat(g.lincde("dense", "regular").seconds()).isEqualTo("CUDA out of memory (asked for 17.56 GiB more)");
        assertThat(g.lincde("diagonal", "eigenworms").seconds()).isEqualTo("not finished in the run's 30 s for this step");
        assertThat(g.lincde("lstm", "regular").seconds()).isEqualTo("failed (exit 2): lincde bench: bad option");
        assertThat(g.lincde("mamba", "regular").seconds()).isEqualTo("not in this run");
        assertThat(g.lincde("S5", "eigenworms").seconds()).as("R3's classifiers are keyed r3:").isEqualTo("not in this run");

        assertThat(g.authors("diagonal", "regular").secPerStep()).contains(0.25);
        assertThat(g.authors("diagonal", "regular").peakGpuMib()).contains(12.5);
        assertThat(g.authors("dense", "regular").seconds()).isEqualTo("CUDA out of memory (asked for 616.88 GiB more)");
        assertThat(g.authors("lstm", "regular").seconds()).isEqualTo("not run: time budget of 60 s spent");
        assertThat(g.authors("diagonal", "eigenworms").seconds()).isEqualTo("not in this run");
    }

    @Test
    void misalignedBenchLinesAreErrorsNamingTheFile() {
        assertThatThrownBy(() -> GpuMeasurements.load(FIXTURE, "short"))
                .hasMessageContaining("docs/measurements/short/bench.json")
                .hasMessageContaining("bench r3 S5 eigenworms");
        assertThatThrownBy(() -> GpuMeasurements.load(FIXTURE, "badlen"))
                .hasMessageContaining("docs/measurements/badlen/bench.json line 1 has length 17984")
                .hasMessageContaining("bench diagonal regular");
    }

    @Test
    void theCommittedRunLoadsAndEveryCellHasANumberOrAReason() {
        Optional<GpuMeasurements> latest = GpuMeasurements.latest();
        assertThat(latest).isPresent();
        GpuMeasurements g = latest.get();
        assertThat(g.gpu()).isEqualTo("NVIDIA H200");
        // ci/gpu/run-on-device.sh's steps: nine models at the regular size, four at EigenWorms' length
        for (String cell : new String[] {"diagonal@regular", "block4@regular", "dplr4@regular", "wh@regular",
                "dense@regular", "sparse@regular", "lstm@regular", "transformer@regular", "mamba@regular",
                "diagonal@eigenworms", "block4@eigenworms", "dense@eigenworms", "lstm@eigenworms"}) {
            String model = cell.split("@")[0];
            String shape = cell.split("@")[1];
            GpuMeasurements.Cell c = g.lincde(model, shape);
            assertThat(c.secPerStep().isPresent() || !c.reason().isBlank()).as(cell).isTrue();
            assertThat(c.secPerStep().isPresent() || !c.reason().equals("not in this run"))
                    .as("the run's script had a step for " + cell).isTrue();
        }
        assertThat(g.lincde("block4", "regular").secPerStep()).as("bench.json's first line").contains(0.06554);
    }

    @Test
    void significantDigits() {
        assertThat(GpuMeasurements.sig3(0.065544)).isEqualTo("0.0655");
        assertThat(GpuMeasurements.sig3(7.01646)).isEqualTo("7.02");
        assertThat(GpuMeasurements.sig3(21.03965)).isEqualTo("21.0");
        assertThat(GpuMeasurements.sig3(1234.5)).isEqualTo("1,235");
    }
}
