package org.lincde.tables.artifacts;

import java.util.List;
import java.util.Optional;
import org.lincde.tables.GpuMeasurements;
import org.lincde.tables.render.Table;

/**
 * The GPU rows of {@code slice-costs} and {@code slice-fig5}: training-step times measured once on a GPU
 * ({@link GpuMeasurements}), lincde beside the SLiCE authors' PyTorch models on the same GPU and shapes.
 */
final class GpuRows {
    /** A row: the page's label and the run's name for the model in lincde's and in the authors' runs. */
    record Model(String label, String lincde, Optional<String> authors) {}

    static final List<Model> MODELS = List.of(
            new Model("D-LNCDE", "diagonal", Optional.of("diagonal")),
            new Model("BD4-LNCDE", "block4", Optional.of("block4")),
            new Model("DPLR4-LNCDE", "dplr4", Optional.of("dplr4")),
            new Model("WH-LNCDE", "wh", Optional.of("wh")),
            new Model("DE-LNCDE", "dense", Optional.of("dense")),
            new Model("S-LNCDE", "sparse", Optional.of("sparse")),
            new Model("D-DE8-LNCDE", "diagonal-dense8", Optional.empty()),
            new Model("LSTM", "lstm", Optional.of("lstm")),
            new Model("Transformer (R1)", "transformer", Optional.of("transformer")),
            new Model("Mamba2 (R1 `mamba`)", "mamba", Optional.empty()),
            new Model("LRU (R3)", "r3:lru", Optional.empty()),
            new Model("S5 (R3)", "r3:S5", Optional.empty()),
            new Model("S6 (R3)", "r3:S6", Optional.empty()),
            new Model("Mamba (R3)", "r3:mamba", Optional.empty()));

    private GpuRows() {}

    /** The table, or empty when this build ships no GPU measurements. */
    static Optional<Table> table() {
        return GpuMeasurements.latest().map(GpuRows::table);
    }

    static Table table(GpuMeasurements g) {
        Table t = new Table(List.of("Model", "lincde s/step (B 256, L 40)", "authors' PyTorch s/step (same)",
                "lincde ÷ authors", "lincde s/step (B 32, L 17 984)", "authors' s/step (same)",
                "lincde peak GPU MiB (L 17 984)"));
        String none = "no authors' model in this comparison";
        for (Model m : MODELS) {
            GpuMeasurements.Cell lr = g.lincde(m.lincde(), "regular");
            GpuMeasurements.Cell le = g.lincde(m.lincde(), "eigenworms");
            Optional<GpuMeasurements.Cell> ar = m.authors().map(a -> g.authors(a, "regular"));
            Optional<GpuMeasurements.Cell> ae = m.authors().map(a -> g.authors(a, "eigenworms"));
            String ratio = lr.secPerStep().isPresent() && ar.flatMap(GpuMeasurements.Cell::secPerStep).isPresent()
                    ? String.format("%.2f", lr.secPerStep().get() / ar.get().secPerStep().get()) : "—";
            t.row(List.of(m.label(), lr.seconds(), ar.map(GpuMeasurements.Cell::seconds).orElse(none), ratio,
                    le.seconds(), ae.map(GpuMeasurements.Cell::seconds).orElse(none), le.memory()));
        }
        return t;
    }

    /** The section both pages append: heading, provenance, table and what the numbers mean. */
    static String markdown() {
        Optional<GpuMeasurements> g = GpuMeasurements.latest();
        if (g.isEmpty()) {
            return "";
        }
        return "## Measured on a GPU (one run; `reproduce` does not repeat it)\n\n"
                + g.get().provenance() + ". Seconds per training step (forward + backward + AdamW; lincde: median "
                + "of 5 steps after 2 warm-up at L 40, one step after one warm-up at L 17 984; the authors': median of "
                + "2 after 1). On `--device gpu` the structured recurrences still run in lincde's fused kernels on the "
                + "host's cores (16 there), the rest of the step on the GPU; peak GPU memory is nvidia-smi's, over the "
                + "step's process. A cell without a number says why (docs/gpu.md).\n\n"
                + table(g.get()).markdown() + "\n";
    }
}
