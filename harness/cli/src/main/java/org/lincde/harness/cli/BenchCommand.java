package org.lincde.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.lincde.harness.bench.ForwardFormsBenchmark;
import org.lincde.harness.bench.GemmRoofline;
import org.lincde.harness.bench.ModelFlops;
import org.lincde.harness.bench.TrainStepBenchmark;
import org.lincde.harness.config.R1Config;
import org.lincde.harness.data.TaskOptions;
import org.lincde.harness.data.TokenTask;
import org.lincde.harness.data.TokenTasks;
import org.lincde.harness.results.CanonicalJson;
import org.lincde.harness.run.ModelSpecs;
import org.lincde.harness.run.SizeBudget;
import org.lincde.harness.uea.R3Baseline;
import org.lincde.harness.uea.SsmSettings;
import org.lincde.harness.uea.UeaRunPlan;
import org.lincde.spi.Batch;
import org.lincde.spi.Backend;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.DType;
import org.lincde.spi.LossSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lincde bench}: seconds per training step of an R1-format config, or of one of R3's UEA classifiers
 * ({@code --r3-model lru|S5|S6|mamba}), on one backend. R1's configs refuse LRU and S5 because their BatchNorm
 * is not causal (a per-token prediction would see later tokens); timing a training step on synthetic
 * sequence-classification batches needs no causality, so {@code --r3-model} times them as R3 trains them.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time whole training steps (forward + backward + optimiser) and print one JSON line:",
            "sec_per_step (median of the timed steps after warm-up), backend, dtype, threads, peak_rss_mb,",
            "flops_per_step (the model FLOPs of a step, docs/models/flops.md; null with flops_reason for a",
            "family without a formula) and gflops_per_s (achieved at the median step).",
            "Either --config: the model an R1-format config describes, on synthetic token batches of the",
            "config's task vocabulary (AdamW); or --r3-model: one of R3's UEA classifiers (LRU, S5, S6,",
            "Mamba; mean over time, one class per sequence) on synthetic N(0,1) channel batches (Adam,",
            "R3's loss). LRU and S5 are not causal (BatchNorm over time), so R1 configs do not offer",
            "them; a classifier's training step needs no causality."})
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What to time: exactly one of the two. */
    static final class Source {
        @Option(names = "--config", required = true, description = "R1-format JSON config (model and sizes).")
        Path config;

        @Option(names = "--r3-model", required = true, paramLabel = "lru|S5|S6|mamba",
                description = "One of R3's UEA classifiers (SPEC §2.5, §2.6, §2.9), sized by the --hidden, --blocks, "
                        + "--ssm-dim, … options.")
        String r3Model;
    }

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--batch", description = "Batch size (default: the config's batch_size, else 256; --r3-model: 32, R3's). "
            + "The config needs only the model's keys.")
    Integer batch;

    @Option(names = "--hidden", defaultValue = "128", description = "--r3-model: hidden_dim (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--blocks", defaultValue = "2", description = "--r3-model: num_blocks (default: ${DEFAULT-VALUE}).")
    int blocks;

    @Option(names = "--ssm-dim", defaultValue = "64", description = "--r3-model: ssm_dim (default: ${DEFAULT-VALUE}).")
    int ssmDim;

    @Option(names = "--ssm-blocks", defaultValue = "4",
            description = "--r3-model S5: ssm_blocks (default: ${DEFAULT-VALUE}).")
    int ssmBlocks;

    @Option(names = "--conv-dim", defaultValue = "4",
            description = "--r3-model mamba: conv_dim (default: ${DEFAULT-VALUE}).")
    int convDim;

    @Option(names = "--expansion", defaultValue = "2",
            description = "--r3-model mamba: expansion (default: ${DEFAULT-VALUE}).")
    int expansion;

    @Option(names = "--channels", defaultValue = "7",
            description = "--r3-model: input channels (default: ${DEFAULT-VALUE}, BasicMotions with time).")
    int channels;

    @Option(names = "--classes", defaultValue = "4",
            description = "--r3-model: classes (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--seed", defaultValue = "2345", description = "--r3-model: seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--length", defaultValue = "40", description = "Sequence length (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--steps", defaultValue = "20", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @CommandLine.Mixin
    BackendOptions backendOptions;

    @Option(names = "--generic", description = "Disable fused kernels (time the generic TensorOps path).")
    boolean generic;

    /** The longest --length timed (R3's EigenWorms has 17 984 steps). */
    static final int MAX_LENGTH = 1_000_000;

    @Option(names = "--forms", description = {"--config: also time one inference forward pass in each form of the",
        "Linear CDE states, the recurrent loop and the associative scan (median of 3 after a warm-up, on a",
        "batch of --forms-batch), their outputs' max abs and relative difference, the recurrent form's",
        "change when every parameter moves one ulp (the conditioning floor), and the scan against the",
        "recurrence without R1's tanh clip (the scan is linear: docs/models/scan-form.md)."})
    boolean forms;

    @Option(names = "--forms-batch", defaultValue = "4", description = "Batch of the --forms passes (default: "
            + "${DEFAULT-VALUE}; the scan holds a transition matrix per step).")
    int formsBatch;

    @Option(names = "--roofline", description = {"Also time a square float32/float64 GEMM (--roofline-n) on the same",
        "backend, dtype and threads, forward and both backward products, and report its rate",
        "(roofline_gflops_per_s) and how far the model's achieved rate (gflops_per_s, from the model FLOPs",
        "of docs/models/flops.md) is from it. A few seconds more."})
    boolean roofline;

    @Option(names = "--roofline-n", defaultValue = "1024",
            description = "Size n of the --roofline GEMM, n×n by n×n (default: ${DEFAULT-VALUE}).")
    int rooflineN;

    @Option(names = "--train-steps", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Time training steps (default); --no-train-steps with --forms times only the forms.")
    boolean trainSteps;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (steps < 1 || warmup < 0 || length < 2) {
            throw new IllegalArgumentException("--steps must be >= 1, --warmup >= 0 and --length >= 2, got --steps "
                    + steps + ", --warmup " + warmup + ", --length " + length);
        }
        if (batch != null && batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        }
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("--length " + length + " is longer than any sequence lincde trains on "
                    + "(at most " + MAX_LENGTH + ")");
        }
        if (!trainSteps && !forms) {
            throw new IllegalArgumentException("--no-train-steps needs --forms (nothing would be timed)");
        }
        if (rooflineN < 1 || rooflineN > 8192) {
            throw new IllegalArgumentException("--roofline-n must be in [1, 8192], got " + rooflineN);
        }
        if (formsBatch < 1) {
            throw new IllegalArgumentException("--forms-batch must be >= 1, got " + formsBatch);
        }
        if (source.r3Model != null) {
            return r3(out);
        }
        R1Config c = R1Config.readModel(source.config);
        TokenTask task = ConfigChecks.task(c);
        ModelSpec model = ModelSpecs.fromR1(c, task.vocabSize(), task.labelDim());
        BackendRegistry backends = BackendRegistry.discover();
        Backend b = backendOptions.backend(backends);
        DType dt = backendOptions.dtype(b, c.dtype());
        int bs = batch != null ? batch : c.batchSize();
        ConfigChecks.structureOptions(c, StructureRegistry.discover());
        SizeBudget.check(c.source() + " with --batch " + bs + " --length " + length, model,
                StructureRegistry.discover(), c.modelDim(), c.numBlocks(), bs, length);
        if ((long) bs * length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("--batch " + bs + " x --length " + length
                    + " tokens do not fit in one batch array");
        }
        String name = c.modelName().equals("lcde") ? c.structure().toString() : c.modelName();
        try (Session session = b.open(backendOptions.sessionOptions(dt).withFusedKernels(!generic))) {
            Map<String, Object> json;
            if (trainSteps) {
                TrainStepBenchmark.Result r = TrainStepBenchmark.run(session, model, StructureRegistry.discover(), bs,
                        length, task.vocabSize(), task.labelDim(), warmup, steps,
                        Objective.maskedCrossEntropy(c.vfANormLambda()), c.seed());
                json = TrainStepBenchmark.json(r, session, model, name, bs, length);
                flops(json, r, session, model, bs, length);
            } else {
                json = new java.util.LinkedHashMap<>();
                json.put("model", name);
                json.put("backend", b.id());
                json.put("dtype", dt.label());
                json.put("length", length);
            }
            json.put("fused", !generic);
            json.put("device", backendOptions.device().toString().toLowerCase(java.util.Locale.ROOT));
            if (forms) {
                json.putAll(ForwardFormsBenchmark.run(session, model, StructureRegistry.discover(), formsBatch, length,
                        task.vocabSize(), task.labelDim(), 3, c.seed()).json());
                // the process's peak so far: with --no-train-steps the forms alone, else the larger of the two
                json.put("peak_rss_mb", Math.round(org.lincde.harness.results.Provenance.peakRssMb()));
            }
            out.println(CanonicalJson.compact(json));
        }
        return 0;
    }

    /**
     * Adds the model FLOPs of a step and the achieved rate (null, with {@code flops_reason}, for a family
     * without a formula), the --roofline GEMM's rate, and prints the distance to it on stderr.
     */
    private void flops(Map<String, Object> json, TrainStepBenchmark.Result r, Session session, ModelSpec model,
                       int bs, int len) {
        ModelFlops.Estimate e = ModelFlops.of(model, StructureRegistry.discover(), bs, len);
        Double perStep = e.perStep();
        Double rate = perStep == null ? null : perStep / r.medianSeconds() / 1e9;
        json.put("flops_per_step", perStep);
        json.put("gflops_per_s", rate == null ? null : significant(rate));
        if (perStep == null) {
            json.put("flops_reason", e.reason());
        }
        PrintWriter err = spec.commandLine().getErr();
        String modelLine = perStep == null ? "model FLOPs: none (" + e.reason() + ")"
                : String.format(java.util.Locale.ROOT, "model FLOPs %.3g GFLOP a step (forward + backward, "
                        + "docs/models/flops.md), achieved %.1f GFLOP/s at the median step", perStep / 1e9, rate);
        if (roofline) {
            GemmRoofline.Result g = GemmRoofline.measure(session, rooflineN, 5);
            json.put("roofline_gflops_per_s", significant(g.gflopsPerSecond()));
            json.put("roofline_gemm_n", g.n());
            err.println(modelLine + String.format(java.util.Locale.ROOT, "; GEMM roofline %.1f GFLOP/s (%d×%d "
                    + "products, same backend, dtype and threads)", g.gflopsPerSecond(), g.n(), g.n())
                    + (rate == null ? "" : String.format(java.util.Locale.ROOT, ": %.0f %% of it",
                    100 * rate / g.gflopsPerSecond())));
        } else {
            err.println(modelLine + (rate == null ? "" : " (--roofline: the distance to this machine's GEMM rate)"));
        }
    }

    /** {@code v} to 4 significant digits (rates span from tiny test models to GEMM speed). */
    static double significant(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).doubleValue();
    }

    private int r3(PrintWriter out) {
        for (var o : List.of(java.util.Map.entry("--hidden", hidden), java.util.Map.entry("--blocks", blocks),
                java.util.Map.entry("--ssm-dim", ssmDim), java.util.Map.entry("--ssm-blocks", ssmBlocks),
                java.util.Map.entry("--conv-dim", convDim), java.util.Map.entry("--expansion", expansion),
                java.util.Map.entry("--channels", channels), java.util.Map.entry("--classes", classes))) {
            if (o.getValue() < 1) {
                throw new IllegalArgumentException(o.getKey() + " must be >= 1, got " + o.getValue());
            }
        }
        R3Baseline kind;
        try {
            kind = R3Baseline.parse(source.r3Model);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--r3-model: " + e.getMessage());
        }
        SsmSettings s = new SsmSettings(false, 1e-3, blocks, hidden, ssmDim, OptionalInt.of(ssmBlocks),
                OptionalInt.of(convDim), OptionalInt.of(expansion));
        ModelSpec model = kind.spec(channels, classes, s);
        BackendRegistry backends = BackendRegistry.discover();
        Backend b = backendOptions.backend(backends);
        DType dt = backendOptions.dtype(b, null);
        int bs = batch != null ? batch : 32;
        SizeBudget.check("--r3-model " + source.r3Model + " with --hidden " + hidden + " --batch " + bs + " --length "
                + length, model, StructureRegistry.discover(), hidden, blocks, bs, length);
        if ((long) bs * length * channels > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("--batch " + bs + " x --length " + length + " x --channels " + channels
                    + " values do not fit in one batch array");
        }
        Rng rng = Rng.seeded(seed);
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batches.add(TrainStepBenchmark.syntheticChannelBatch(rng.stream("batch", i), bs, length, channels,
                    classes));
        }
        try (Session session = b.open(backendOptions.sessionOptions(dt).withFusedKernels(!generic))) {
            TrainStepBenchmark.Result r = TrainStepBenchmark.run(session, model, StructureRegistry.discover(), batches,
                    warmup, steps, new Objective(new LossSpec.CrossEntropy(UeaRunPlan.LOSS_EPSILON), 0.0),
                    OptimizerSpec.AdamW.adam(), seed);
            Map<String, Object> json = TrainStepBenchmark.json(r, session, model, kind.modelName(), bs, length);
            flops(json, r, session, model, bs, length);
            json.putAll(s.asConfig(kind));
            json.remove("time");
            json.remove("lr");
            json.put("fused", !generic);
            out.println(CanonicalJson.compact(json));
        }
        return 0;
    }
}
