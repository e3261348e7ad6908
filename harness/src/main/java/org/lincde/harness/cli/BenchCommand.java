package org.lincde.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lincde.harness.bench.TrainStepBenchmark;
import org.lincde.harness.config.R1Config;
import org.lincde.harness.data.TaskOptions;
import org.lincde.harness.data.TokenTask;
import org.lincde.harness.data.TokenTasks;
import org.lincde.harness.results.CanonicalJson;
import org.lincde.harness.run.ModelSpecs;
import org.lincde.spi.Backend;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.DType;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lincde bench}: seconds per training step of an R1-format config on one backend. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time whole training steps (forward + backward + AdamW) of the model an R1-format config",
            "describes, on synthetic batches of the config's task vocabulary, and print one JSON line:",
            "sec_per_step (median of the timed steps after warm-up), backend, dtype, threads, peak_rss_mb."})
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, description = "R1-format JSON config (model and sizes).")
    Path config;

    @Option(names = "--batch", description = "Batch size (default: the config's batch_size).")
    Integer batch;

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

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (steps < 1 || warmup < 0 || length < 2) {
            throw new IllegalArgumentException("--steps must be >= 1, --warmup >= 0 and --length >= 2");
        }
        R1Config c = R1Config.read(config);
        TokenTask task = TokenTasks.create(c.isA5() ? "A5=" + c.length() : c.task(),
                TaskOptions.r1Defaults(c.seed()).withA5(Math.max(2, c.length()), 1000, 0.8));
        ModelSpec model = ModelSpecs.fromR1(c, task.vocabSize(), task.labelDim());
        BackendRegistry backends = BackendRegistry.discover();
        Backend b = backendOptions.backend(backends);
        DType dt = backendOptions.dtype(b, c.dtype());
        int bs = batch != null ? batch : c.batchSize();
        try (Session session = b.open(backendOptions.sessionOptions(dt).withFusedKernels(!generic))) {
            TrainStepBenchmark.Result r = TrainStepBenchmark.run(session, model, StructureRegistry.discover(), bs, length,
                    task.vocabSize(), task.labelDim(), warmup, steps, Objective.maskedCrossEntropy(c.vfANormLambda()),
                    c.seed());
            Map<String, Object> json = TrainStepBenchmark.json(r, session, model,
                    c.modelName().equals("lcde") ? c.structure().toString() : c.modelName(), bs, length);
            json.put("fused", !generic);
            out.println(CanonicalJson.compact(json));
        }
        return 0;
    }
}
