package org.lincde.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lincde.harness.config.R1Config;
import org.lincde.harness.results.ResultsStore;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.train.Preemption;
import org.lincde.harness.train.RunPreempted;
import org.lincde.harness.run.TokenRunPlan;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.DType;
import org.lincde.spi.StructureRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lincde train CONFIG.json}: the R1 protocol on one config, every repeat. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {
            "Train on an experiment config in the SLiCE code base's JSON format (the authors' files run unmodified), "
                + "every repeat (seed = seed + run), with the R1 protocol: AdamW groups, warm-up + cosine schedule, "
                + "masked cross-entropy + λ·Σ||vf_A||_F, evaluation every print_steps, early stop.",
            "",
            "One JSON record per run goes to --results, and the latest checkpoint (safetensors) to "
                + "<results>/checkpoints/<run>/; a run whose record exists is skipped.",
            ""})
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "R1-format JSON config.")
    Path config;

    @CommandLine.Mixin
    BackendOptions backendOptions;

    @Option(names = "--runs", description = "Repeats to run (default: the config's 'runs', R1: 5).")
    Integer runs;

    @Option(names = "--steps", description = "Override num_steps (for quick looks; changes the run's key).")
    Long steps;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Override batch_size (a budget flag for quick looks; changes the run's key).")
    Integer batchSize;

    @Option(names = "--validation-samples", paramLabel = "N",
            description = "Override the formal-language validation samples (R1: 8192; budget flag).")
    Integer validationSamples;

    @Option(names = "--a5-size", paramLabel = "N",
            description = "Override the A5 distinct sequences for lengths >= 4 (R1's CSVs: 1000000; budget flag).")
    Integer a5Size;

    @Option(names = "--results", defaultValue = "results", description = "Results folder (default: ${DEFAULT-VALUE}).")
    Path results;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        R1Config c = R1Config.read(config);
        if (steps != null) {
            c = Overrides.withSteps(c, steps);
        }
        c = Overrides.withBudget(c, batchSize, validationSamples, a5Size);
        if (runs != null && runs < 1) {
            throw new IllegalArgumentException("--runs must be >= 1, got " + runs);
        }
        ConfigChecks.r1(c, StructureRegistry.discover(), c.batchSize(), ConfigChecks.longest(c), c.source());
        c.ignoredKeys().forEach((k, why) -> out.println("note: key '" + k + "' has no effect: " + why));
        BackendRegistry backends = BackendRegistry.discover();
        String backendId = backendOptions.backend(backends).id();
        DType dt = backendOptions.dtype(backends.get(backendId), c.dtype());
        ResultsStore store = new ResultsStore(results);
        int n = runs != null ? runs : c.runs();
        int failed = 0;
        Preemption.installSignalHandler(); // SIGTERM: checkpoint the run in flight and exit 75; a rerun resumes it
        try (RunContext ctx = new RunContext(backends, StructureRegistry.discover(), results.resolve("checkpoints"),
                new ProgressBars(System.err, quiet), out, backendOptions.threads).onDevice(backendOptions.device())) {
            for (int r = 0; r < n; r++) {
                TokenRunPlan plan = new TokenRunPlan("train", c.modelName() + " " + c.structure() + " / " + c.task()
                        + " / run " + r, c, r, backendId, dt);
                if (store.has(plan.artifact(), plan.key())) {
                    out.printf("run %d (%s): record exists, skipped%n", r, plan.key());
                    continue;
                }
                RunRecord rec;
                try {
                    rec = plan.execute(ctx);
                } catch (RunPreempted p) {
                    out.printf("run %d: %s%n", r, p.getMessage());
                    out.flush();
                    return Preemption.EXIT_CODE;
                }
                store.put(rec);
                out.printf("run %d (seed %d): %s after %d steps, final val acc %.2f%%, best %.2f%%, %.3f s/step -> %s%n",
                        r, c.runSeed(r), rec.status(), rec.stepsTaken(), 100 * rec.metrics().get("final_accuracy"),
                        100 * rec.metrics().get("best_accuracy"), rec.secondsPerStep(),
                        results.resolve("train").resolve(rec.key() + ".json"));
                failed += rec.status().equals("diverged") ? 1 : 0;
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
