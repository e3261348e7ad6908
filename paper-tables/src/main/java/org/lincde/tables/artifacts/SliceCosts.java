package org.lincde.tables.artifacts;

import com.google.auto.service.AutoService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lincde.harness.bench.CostRunPlan;
import org.lincde.harness.config.Required;
import org.lincde.harness.io.AtomicFiles;
import org.lincde.harness.reproduce.Artifact;
import org.lincde.harness.reproduce.Profile;
import org.lincde.harness.reproduce.Verdicts;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunPlan;
import org.lincde.spi.DType;
import org.lincde.spi.StructureSpec;
import org.lincde.tables.render.Table;

/**
 * SLiCE paper, the cost table (docs/PAPER_RESULTS.md A.5): per structure, parameters and the recurrent and
 * parallel costs. The asymptotic orders are the paper's; the counts are computed from instantiated
 * vector fields at two hidden sizes (so the empirical exponent in {@code h} is measured, not typed in),
 * and the times are measured training steps and scan forward passes on this machine. A second table times NCDE,
 * NRDE, Log-NCDE and the SLiCE variants per training step on each UEA dataset's shape in the same run
 * ({@link UeaStepCosts}, records shared with {@code slice-fig5}).
 */
@AutoService(Artifact.class)
public final class SliceCosts implements Artifact {

    /**
     * A row: label, spec, and the paper's orders as (exponent of d_h in the parameter count, the printed
     * parameter, recurrent and parallel costs, maximal expressivity).
     */
    record Row(String label, StructureSpec spec, double paramExponent, String params, String recurrent,
               String parallel, String expressive, java.util.function.IntToLongFunction perChannel) {
        /** SPEC §1.0's parameter count for hidden size h and d+1 = h+1 channels. */
        long expected(int h) {
            return perChannel.applyAsLong(h) * (h + 1);
        }
    }

    static final List<Row> ROWS = List.of(
            new Row("DE-LNCDE", StructureSpec.of("dense"), 3, "O(d_h³)", "O(n d_h³)", "O(log n, d_h³)", "yes",
                    h -> (long) h * h),
            new Row("D-LNCDE", StructureSpec.of("diagonal"), 2, "O(d_h²)", "O(n d_h²)", "O(log n, d_h²)", "no", h -> h),
            new Row("DPLR4-LNCDE", StructureSpec.of("dplr", "rank", "4"), 2, "O(r d_h²)", "O(n r d_h²)",
                    "O(log n, d_h³)", "yes", h -> (long) h * (1 + 2 * 4)),
            new Row("S-LNCDE", StructureSpec.of("sparse", "sparsity", "0.1"), 3, "O(d_h^{2+ε})", "O(n d_h^{2+ε})",
                    "O(log n, d_h³)", "yes", h -> -1),
            new Row("WH-LNCDE", StructureSpec.of("walsh-hadamard"), 2, "O(d_h²)", "O(n d_h²)", "O(log n, d_h³)", "yes", h -> h),
            new Row("BD4-LNCDE", StructureSpec.of("block-diagonal", "block_size", "4"), 2, "O(d_h Σ b_j²)",
                    "O(n d_h Σ b_j²)", "O(log n, d_h Σ b_j²)", "yes", h -> (long) h * 4),
            new Row("D-DE8-LNCDE", StructureSpec.of("diagonal-dense", "block_size", "8"), 2, "O(d_h (d_h−b) + d_h b²)",
                    "O(n d_h b²)", "O(log n, d_h b²)", "—", h -> (long) (h - Math.min(8, h)) + 64L));

    /**
     * Sizes per profile.
     *
     * @param h1     the smaller hidden size
     * @param h2     the larger hidden size (the parameter exponent is fitted between the two)
     * @param batch  batch size
     * @param length sequence length
     * @param steps  timed steps
     * @param warmup untimed steps before them
     */
    record Settings(int h1, int h2, int batch, int length, int steps, int warmup) {
        static Builder builder() {
            return new Builder();
        }

        /** Every field is required. */
        static final class Builder {
            private Integer h1;
            private Integer h2;
            private Integer batch;
            private Integer length;
            private Integer steps;
            private Integer warmup;

            Builder hiddenSizes(int small, int large) { h1 = small; h2 = large; return this; }
            Builder batch(int v) { batch = v; return this; }
            Builder length(int v) { length = v; return this; }
            Builder steps(int v) { steps = v; return this; }
            Builder warmup(int v) { warmup = v; return this; }

            Settings build() {
                String what = "SliceCosts.Settings";
                return new Settings(Required.field(h1, what, "hiddenSizes"), Required.field(h2, what, "hiddenSizes"),
                        Required.field(batch, what, "batch"), Required.field(length, what, "length"),
                        Required.field(steps, what, "steps"), Required.field(warmup, what, "warmup"));
            }
        }
    }

    static Settings settings(Profile p) {
        switch (p) {
            case SMOKE:
                return Settings.builder().hiddenSizes(8, 16).batch(4).length(8).steps(3).warmup(1).build();
            case QUICK:
                return Settings.builder().hiddenSizes(32, 64).batch(64).length(40).steps(10).warmup(3).build();
            default:
                return Settings.builder().hiddenSizes(64, 128).batch(256).length(40).steps(20).warmup(5).build();
        }
    }

    @Override
    public String id() {
        return "slice-costs";
    }

    @Override
    public String title() {
        return "SLiCE cost table: parameters, recurrent and parallel cost per structure";
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public List<RunPlan> grid(Profile profile, String backend, DType dtype) {
        Settings s = settings(profile);
        List<RunPlan> plans = new ArrayList<>();
        for (Row r : ROWS) {
            for (int h : List.of(s.h1(), s.h2())) {
                plans.add(new CostRunPlan(id(), r.label() + " / h=" + h, r.spec(), h, s.batch(), s.length(), s.steps(),
                        s.warmup(), backend, dtype));
            }
        }
        plans.addAll(UeaStepCosts.plans(profile, backend, dtype));
        return plans;
    }

    private record Measured(Map<String, Map<Integer, RunRecord>> byRow) {
        Optional<RunRecord> get(String label, int h) {
            return Optional.ofNullable(byRow.getOrDefault(label, Map.of()).get(h));
        }
    }

    private static Measured collect(List<RunPlan> grid, Results results) {
        Map<String, Map<Integer, RunRecord>> m = new LinkedHashMap<>();
        for (RunPlan p : grid) {
            if (!(p instanceof CostRunPlan c)) {
                continue; // the UEA step-cost plans
            }
            results.of(p).ifPresent(r -> m.computeIfAbsent(p.cell().split(" / ")[0], k -> new LinkedHashMap<>())
                    .put(c.hidden(), r));
        }
        return new Measured(m);
    }

    /** log(v2/v1) / log(h2/h1). */
    static double exponent(double v1, double v2, int h1, int h2) {
        return Math.log(v2 / v1) / Math.log((double) h2 / h1);
    }

    /**
     * Whether the instantiated field has the parameter count of SPEC §1.0's table (per channel: DE h², D h,
     * BD h·b, DPLR h(1+2r), WH h, D-DE (h−b)+b², times d+1); S keeps ≈ p·h² per channel, so it must be
     * within 1 % of that.
     */
    static boolean countMatches(Row r, int h, RunRecord rec) {
        double got = rec.metrics().get("field_parameters");
        if (r.spec().id().equals("sparse")) {
            double p = Double.parseDouble(r.spec().options().get("sparsity"));
            return Math.abs(got - p * h * h * (h + 1)) <= 0.01 * got + 1;
        }
        return got == r.expected(h);
    }

    @Override
    public Verdicts verdicts(Profile profile, List<RunPlan> grid, Results results) {
        Settings s = settings(profile);
        Measured m = collect(grid, results);
        Verdicts v = Verdicts.NONE;
        for (Row r : ROWS) {
            Optional<RunRecord> a = m.get(r.label(), s.h1());
            Optional<RunRecord> b = m.get(r.label(), s.h2());
            if (a.isEmpty() || b.isEmpty()) {
                v = v.plus(new Verdicts(0, 0, 0, 1));
                continue;
            }
            v = v.plus(countMatches(r, s.h1(), a.get()) && countMatches(r, s.h2(), b.get())
                    ? new Verdicts(0, 1, 0, 0) : new Verdicts(0, 0, 1, 0));
        }
        return v;
    }

    @Override
    public List<Path> render(Profile profile, List<RunPlan> grid, Results results, Path outDir) throws IOException {
        Settings s = settings(profile);
        Measured m = collect(grid, results);
        Table table = new Table(List.of("Model", "params (paper)", "params h=" + s.h1(), "params h=" + s.h2(),
                "exponent (measured)", "recurrent cost (paper)", "s/step h=" + s.h1(), "s/step h=" + s.h2(),
                "parallel cost (paper)", "scan block", "scan fwd s", "max. expressive"));
        for (Row r : ROWS) {
            Optional<RunRecord> a = m.get(r.label(), s.h1());
            Optional<RunRecord> b = m.get(r.label(), s.h2());
            List<String> row = new ArrayList<>(List.of(LincdeConstructions.label(r.label()), r.params()));
            row.add(a.map(x -> String.format("%,.0f", x.metrics().get("field_parameters"))).orElse("pending"));
            row.add(b.map(x -> String.format("%,.0f", x.metrics().get("field_parameters"))).orElse("pending"));
            row.add(a.isPresent() && b.isPresent()
                    ? String.format("%.2f (paper %.0f)", exponent(a.get().metrics().get("field_parameters"),
                            b.get().metrics().get("field_parameters"), s.h1(), s.h2()), r.paramExponent())
                    : "pending");
            row.add(r.recurrent());
            row.add(a.map(x -> String.format("%.4f", x.metrics().get("sec_per_step"))).orElse("pending"));
            row.add(b.map(x -> String.format("%.4f", x.metrics().get("sec_per_step"))).orElse("pending"));
            row.add(r.parallel());
            row.add(b.map(x -> String.format("%.0f×%.0f", x.metrics().get("scan_block"), x.metrics().get("scan_block")))
                    .orElse("pending"));
            row.add(b.map(x -> String.format("%.4f", x.metrics().get("scan_forward_sec"))).orElse("pending"));
            row.add(r.expressive());
            table.row(row);
        }
        List<Path> files = new ArrayList<>();
        Path page = outDir.resolve("costs.md");
        files.add(page);
        files.addAll(table.write(outDir, "costs"));
        String backend = grid.isEmpty() || !(grid.get(0) instanceof CostRunPlan c0) ? "?" : c0.backend();
        Table ueaCosts = UeaStepCosts.timeTable(profile, grid, results);
        files.addAll(ueaCosts.write(outDir, "costs_uea_step_costs"));
        StringBuilder md = new StringBuilder("# ").append(title()).append("\n\n");
        md.append(String.format("Profile `%s` on backend `%s`: one vector field with d+1 = h+1 control channels "
                + "(the paper's d_ω = d_h) at h = %d and %d; training steps of a one-block model, batch %d, length %d, "
                + "median of %d steps after %d warm-up; the scan column times one forward pass (batch ≤ 4) whose "
                + "transitions are composed by the associative scan in blocks of the stated size.%n%n",
                profile.label(), backend, s.h1(), s.h2(), s.batch(), s.length(), s.steps(), s.warmup()));
        md.append(table.markdown());
        md.append("\nThe exponent is log(params(h₂)/params(h₁)) / log(h₂/h₁) (it reaches the paper's order once h ≫ b). ")
                .append("Each count is checked against SPEC §1.0's per-channel formula times d+1 (")
                .append(verdicts(profile, grid, results).text()).append("). Block-diagonal products stay ")
                .append("block-diagonal, so BD composes b×b blocks while DPLR, S and WH fill in to h×h; the scan ")
                .append("times show that gap. Times are for this machine and backend; CPU threads, not the scan's ")
                .append("O(log n) depth, bound them here.\n\n");
        md.append("## Time per 1 000 training steps on the UEA shapes: NCDE, NRDE, Log-NCDE and the SLiCEs\n\n")
                .append(UeaStepCosts.describe(profile, backend)).append('\n').append(ueaCosts.markdown())
                .append("\nThe Log-NCDE / BD-LNCDE row is the paper's headline ratio (20.5× in the May 2025 data, 19.4× "
                        + "at the repository's HEAD, GPU seconds); `slice-fig5` checks it.\n");
        md.append("\n").append(GpuRows.markdown());
        md.append("\n").append(LincdeConstructions.NOTE).append("\n");
        AtomicFiles.writeString(page, md.toString());
        return files;
    }
}
