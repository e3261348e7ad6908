package org.lincde.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.lincde.harness.r2.LcdeA5Config;
import org.lincde.harness.r2.LcdeA5RunPlan;
import org.lincde.harness.r2.LcdeToyConfig;
import org.lincde.harness.r2.R2A5Experiment;
import org.lincde.harness.r2.R2LearningRates;
import org.lincde.harness.r2.SsmA5Config;
import org.lincde.harness.r2.SsmA5SearchPlan;
import org.lincde.harness.r2.SsmToyConfig;
import org.lincde.harness.results.ResultsStore;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.run.RunPlan;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.DType;
import org.lincde.spi.StructureRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lincde experiment}: the two papers' own entry points over their unmodified config files.
 * <ul>
 *   <li>{@code -m LCDE|SequenceModel -e A5|toy [-s SEED]}: the deep selective SSM code base's
 *       {@code run_experiment.py} over {@code lcde_a5.yaml}, {@code ssm_a5.yaml}, {@code lcde_toy.yaml},
 *       {@code ssm_toy.yaml} (SPEC §4.2), with its {@code -n NAME} and {@code -l LENGTH} filters.</li>
 *   <li>{@code -c NAME}: the SLiCE code base's {@code run_experiment.py -c NAME} over
 *       {@code NAME.json}, run exactly as {@code lincde train} runs that file (same runs, same keys,
 *       same records).</li>
 * </ul>
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = {"Run a paper code base's experiment from its unmodified config file (--configs):",
            "  -m LCDE|SequenceModel -e A5|toy [-s SEED]   deep selective SSMs (YAML)",
            "  -c NAME                 SLiCE: NAME.json, run as 'lincde train' runs it",
            "  --r3 PATH               Log-NCDE code base (R3): a UEA repeat config or a folder",
            "A5: the Linear CDE trains one block per length; each sequence model runs R2's",
            "minimum-depth search (a depth that fails is dropped for all longer lengths).",
            "Records go to --results (as the ssm-a5-layers artifact's); existing ones are",
            "skipped (resume).",
            "Budget options (--steps, --lengths, --depths, --hidden, ...) run a small version",
            "(they change the runs' keys).", ""})
final class ExperimentCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-m", "--model"}, paramLabel = "LCDE|SequenceModel", description = "Model family (R2).")
    String model;

    @Option(names = {"-e", "--experiment"}, paramLabel = "A5|toy", description = "Experiment (R2).")
    String experiment;

    @Option(names = {"-s", "--seed"}, defaultValue = "2345", description = "Seed (R2 default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "Only this sequence model: Transformer, Mamba, RNN or S4.")
    String name;

    @Option(names = {"-l", "--length"}, description = "Only this sequence length.")
    Integer length;

    @Option(names = {"-c", "--config"}, paramLabel = "NAME", description = "SLiCE config NAME(.json) in --configs.")
    String configName;

    @Option(names = "--r3", paramLabel = "PATH", description = "R3 (Log-NCDE code base) UEA config: "
            + "experiment_configs/repeats/<model>/<dataset>.json, unmodified, or a folder of them (every model of the "
            + "UEA table: *_linear_ncde, lru, S5, S6, mamba, ncde, nrde, log_ncde). Runs every seed of the file "
            + "(--runs N: the first N); --steps and --print-steps shrink the budget. Needs the dataset "
            + "(lincde datasets fetch uea).")
    Path r3;

    @Option(names = "--configs", paramLabel = "DIR", description = "Config folder (default: ./experiment_configs, "
            + "else the one beside the lincde launcher).")
    Path configs;

    @Option(names = "--steps", description = "Step budget per training (A5 sequence models: instead of num_epochs).")
    Long steps;

    @Option(names = "--print-steps", description = "Evaluation interval (default: the config's, R2 SSMs 10000).")
    Integer printSteps;

    @Option(names = "--lengths", split = ",", description = "Sequence lengths (comma-separated) instead of the config's.")
    List<Integer> lengths;

    @Option(names = "--depths", split = ",", description = "Depths to search (comma-separated) instead of the config's.")
    List<Integer> depths;

    @Option(names = "--hidden", description = "hidden_dim instead of the config's.")
    Integer hidden;

    @Option(names = "--state", description = "state_dim instead of the config's (sequence models; Transformer heads).")
    Integer state;

    @Option(names = "--a5-size", description = "Distinct A5 sequences per length (default: R2's ${DEFAULT-VALUE}).",
            defaultValue = "1000000")
    int a5Size;

    @Option(names = "--learning-rates", defaultValue = "published", paramLabel = "published|config",
            description = "Sequence models: the published runs' rates (Mamba 3e-4 at depth <= 2, 1e-4 deeper; "
                    + "RNN, S4 1e-4; Transformer 2e-4) or the config's learning_rate for all "
                    + "(default: ${DEFAULT-VALUE}).")
    String learningRates;

    @Option(names = "--runs", description = "-c only: repeats to run (default: the config's).")
    Integer runs;

    @Option(names = "--backend", description = "Backend id (default: highest-ranked on the class path).")
    String backend;

    @Option(names = "--dtype", description = "float32 or float64 (default: float32 where the backend has it).")
    String dtype;

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0: backend default).")
    int threads;

    @Option(names = "--results", defaultValue = "results", description = "Results folder (default: ${DEFAULT-VALUE}).")
    Path results;

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    /** Flags are checked before any file is read, so an error blames the flag and not the config. */
    private void checkFlags() {
        if (lengths != null) {
            for (int n : lengths) {
                if (n < 2) {
                    throw new IllegalArgumentException("--lengths: A5 lengths must be >= 2, got " + n + " in " + lengths);
                }
            }
        }
        if (length != null && length < 2) {
            throw new IllegalArgumentException("-l/--length: an A5 length must be >= 2, got " + length);
        }
        if (depths != null) {
            for (int d : depths) {
                if (d < 1) {
                    throw new IllegalArgumentException("--depths must list depths >= 1, got " + d + " in " + depths);
                }
            }
        }
        if (hidden != null && hidden < 1) {
            throw new IllegalArgumentException("--hidden must be >= 1, got " + hidden);
        }
        if (state != null && state < 1) {
            throw new IllegalArgumentException("--state must be >= 1, got " + state);
        }
        if (a5Size < 2) {
            throw new IllegalArgumentException("--a5-size must be >= 2, got " + a5Size);
        }
        if (steps != null) {
            positive("--steps", steps);
        }
        if (printSteps != null) {
            positive("--print-steps", printSteps);
        }
        if (runs != null) {
            positive("--runs", runs);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("--threads must be >= 0, got " + threads);
        }
    }

    @Override
    public Integer call() {
        checkFlags();
        if (r3 != null) {
            return r3();
        }
        if (configName != null) {
            return slice();
        }
        if (model == null || experiment == null) {
            throw new IllegalArgumentException("give -m LCDE|SequenceModel and -e A5|toy (deep selective SSMs), "
                    + "or -c NAME (SLiCE)");
        }
        if (!model.equals("LCDE") && !model.equals("SequenceModel")) {
            throw new IllegalArgumentException("-m must be LCDE or SequenceModel, got '" + model + "'");
        }
        if (!experiment.equals("A5") && !experiment.equals("toy")) {
            throw new IllegalArgumentException("-e must be A5 or toy, got '" + experiment + "'");
        }
        if (runs != null) {
            throw new IllegalArgumentException("--runs applies to -c only (R2's files set 'runs' themselves)");
        }
        if (experiment.equals("toy")) {
            return toy();
        }
        return model.equals("LCDE") ? lcdeA5() : ssmA5();
    }

    /** The folder holding the config files. */
    Path configFolder() {
        if (configs != null) {
            if (!Files.isDirectory(configs)) {
                throw new IllegalArgumentException("--configs " + configs + " is not a folder");
            }
            return configs;
        }
        Path here = Path.of("experiment_configs");
        if (Files.isDirectory(here)) {
            return here;
        }
        String root = System.getProperty("lincde.root.dir");
        if (root != null && Files.isDirectory(Path.of(root, "experiment_configs"))) {
            return Path.of(root, "experiment_configs");
        }
        throw new IllegalArgumentException("no experiment_configs folder here or beside the launcher; give --configs DIR");
    }

    private int slice() {
        if (model != null || experiment != null || name != null || length != null || lengths != null || depths != null
                || hidden != null || state != null || printSteps != null) {
            throw new IllegalArgumentException("-c runs a SLiCE JSON config; -m, -e, -n, -l, --lengths, --depths, "
                    + "--hidden, --state and --print-steps belong to -m/-e");
        }
        String file = configName.endsWith(".json") ? configName : configName + ".json";
        Path path = configFolder().resolve(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("config '" + configName + "' not found: " + path);
        }
        List<String> args = new ArrayList<>(List.of(path.toString(), "--results", results.toString(), "--threads",
                String.valueOf(threads)));
        if (backend != null) {
            args.addAll(List.of("--backend", backend));
        }
        if (dtype != null) {
            args.addAll(List.of("--dtype", dtype));
        }
        if (runs != null) {
            args.addAll(List.of("--runs", String.valueOf(runs)));
        }
        if (steps != null) {
            args.addAll(List.of("--steps", String.valueOf(steps)));
        }
        if (quiet) {
            args.add("--quiet");
        }
        // exactly what `lincde train FILE` does: same plans, same keys, same records
        CommandLine train = new CommandLine(new TrainCommand());
        train.setOut(spec.commandLine().getOut()).setErr(spec.commandLine().getErr());
        train.setExecutionExceptionHandler(spec.commandLine().getExecutionExceptionHandler());
        return train.execute(args.toArray(String[]::new));
    }

    /** R3's {@code run_experiment.py} over one repeat config or a folder of them (SPEC §4.3). */
    private int r3() {
        if (model != null || experiment != null || configName != null || name != null || length != null
                || lengths != null || depths != null || hidden != null || state != null) {
            throw new IllegalArgumentException("--r3 runs R3 UEA configs; -m, -e, -c, -n, -l, --lengths, --depths, "
                    + "--hidden and --state belong to the other entry points");
        }
        List<org.lincde.harness.uea.R3RepeatConfig> configsRead = new ArrayList<>();
        for (Path f : org.lincde.harness.uea.R3RepeatConfig.files(r3)) {
            configsRead.add(org.lincde.harness.uea.R3RepeatConfig.read(f)); // every file checked before any training
        }
        BackendRegistry backends = BackendRegistry.discover();
        String backendId = backends.select(backend).id();
        DType dt = Dtypes.choose(backends.get(backendId), dtype);
        List<org.lincde.harness.uea.UeaRunPlan> plans = new ArrayList<>();
        for (org.lincde.harness.uea.R3RepeatConfig c : configsRead) {
            var e = c.experiment();
            if (steps != null || printSteps != null) {
                long n = steps != null ? positive("--steps", steps) : e.numSteps();
                long p = printSteps != null ? positive("--print-steps", printSteps) : Math.min(e.printSteps(), n);
                e = e.withSteps(n, p).mapNeuralCdes((m, s) -> s.withPrintSteps(p));
            }
            List<Long> seeds = c.seeds();
            if (runs != null) {
                seeds = seeds.subList(0, (int) Math.min(seeds.size(), positive("--runs", runs)));
            }
            for (long s : seeds) {
                plans.add(new org.lincde.harness.uea.UeaRunPlan("r3-experiment", c.model().label() + " / "
                        + e.dataset() + " / seed " + s, e, c.model(), s, backendId, dt,
                        org.lincde.spi.ForwardMode.Evaluation.RECURRENT));
            }
        }
        List<RunRecord> records = run(backends, plans);
        PrintWriter out = spec.commandLine().getOut();
        out.println();
        for (int i = 0; i < plans.size(); i++) {
            RunRecord r = records.get(i);
            out.printf("  %-45s test accuracy %.4f (step %d), %s%n", plans.get(i).cell(),
                    r.metrics().getOrDefault("test_accuracy", Double.NaN),
                    Math.round(r.metrics().getOrDefault("test_step", -1.0)), r.status());
        }
        return records.stream().anyMatch(r -> r.status().equals("diverged")) ? 1 : 0;
    }

    private int toy() {
        PrintWriter out = spec.commandLine().getOut();
        Path folder = configFolder();
        if (model.equals("LCDE")) {
            LcdeToyConfig c = LcdeToyConfig.read(folder.resolve(LcdeToyConfig.FILE));
            out.printf("%s: runs %d, hidden_dim %d, output_dim %d, batch_size %d, input_dims %s%n", c.source(), c.runs(),
                    c.hiddenDim(), c.outputDim(), c.batchSize(), c.inputDims());
        } else {
            SsmToyConfig c = SsmToyConfig.read(folder.resolve(SsmToyConfig.FILE));
            out.printf("%s: runs %d, models %s, input_dims %s, depth_nonlinears %s, hidden_dim %d, state_dim %d, "
                            + "batch_size %d, learning_rate %s, num_epochs %d%n", c.source(), c.runs(), c.modelNames(),
                    c.inputDims(), c.depthNonlinears(), c.hiddenDim(), c.stateDim(), c.batchSize(), c.learningRate(),
                    c.numEpochs());
        }
        out.println("The toy experiment (random Linear CDE + OLS against trained S4/Mamba, Cirone et al. Fig. 1) runs");
        out.println("as an artifact: see `lincde reproduce --only ssm-toy-rmse` (profiles smoke, quick, paper).");
        return 0;
    }

    private RunContext context(BackendRegistry backends) {
        return new RunContext(backends, StructureRegistry.discover(), results.resolve("checkpoints"),
                new ProgressBars(System.err, quiet), spec.commandLine().getOut(), threads);
    }

    private List<Integer> selectedLengths(List<Integer> configLengths) {
        if (length != null && lengths != null) {
            throw new IllegalArgumentException("give -l or --lengths, not both");
        }
        if (length != null) {
            return List.of(length);
        }
        return lengths != null ? lengths : configLengths;
    }

    private int lcdeA5() {
        if (name != null || depths != null || state != null) {
            throw new IllegalArgumentException("-n, --depths and --state apply to -m SequenceModel (the Linear CDE has "
                    + "one block and no state_dim)");
        }
        if (!"published".equals(learningRates)) {
            throw new IllegalArgumentException("--learning-rates applies to -m SequenceModel");
        }
        PrintWriter out = spec.commandLine().getOut();
        LcdeA5Config c = LcdeA5Config.read(configFolder().resolve(LcdeA5Config.FILE));
        c = c.withLengths(selectedLengths(c.lengths()));
        if (hidden != null) {
            c = c.withHidden(hidden);
        }
        if (steps != null) {
            c = c.withSteps(positive("--steps", steps));
        }
        if (printSteps != null) {
            c = c.withPrintSteps((int) positive("--print-steps", printSteps));
        }
        BackendRegistry backends = BackendRegistry.discover();
        String backendId = backends.select(backend).id();
        DType dt = Dtypes.choose(backends.get(backendId), dtype);
        List<LcdeA5RunPlan> plans = R2A5Experiment.lcdePlans(c, a5Size, seed, backendId, dt);
        for (LcdeA5RunPlan p : plans) {
            org.lincde.harness.run.SizeBudget.check(c.source() + (hidden != null ? " with --hidden " + hidden : ""),
                    p.spec(), StructureRegistry.discover(), c.hiddenDim(), 1, c.batchSize(), p.length());
        }
        List<RunRecord> records = run(backends, plans);
        out.println();
        out.println("Linear CDE, 1 block: validation token accuracy > 90 %?");
        for (int i = 0; i < plans.size(); i++) {
            RunRecord r = records.get(i);
            out.printf("  A5-%-3d %s (best %.2f%% after %d steps)%n", plans.get(i).length(),
                    r.metrics().get("min_depth") > 0 ? "solved" : "not solved", 100 * r.metrics().get("best_accuracy"),
                    r.stepsTaken());
        }
        return records.stream().anyMatch(r -> r.status().equals("diverged")) ? 1 : 0;
    }

    private int ssmA5() {
        PrintWriter out = spec.commandLine().getOut();
        SsmA5Config c = SsmA5Config.read(configFolder().resolve(SsmA5Config.FILE));
        List<String> models = c.modelNames();
        if (name != null) {
            if (!SsmA5Config.MODEL_NAMES.contains(name)) {
                throw new IllegalArgumentException("-n must be one of " + SsmA5Config.MODEL_NAMES + ", got '" + name + "'");
            }
            models = List.of(name);
        }
        c = c.withModels(models).withLengths(selectedLengths(c.lengths()));
        if (depths != null) {
            c = c.withDepths(depths);
        }
        if (hidden != null || state != null) {
            c = c.withSizes(hidden != null ? hidden : c.hiddenDim(), state != null ? state : c.stateDim());
        }
        OptionalLong maxSteps = steps == null ? OptionalLong.empty() : OptionalLong.of(positive("--steps", steps));
        int print = printSteps != null ? (int) positive("--print-steps", printSteps) : SsmA5SearchPlan.R2_PRINT_STEPS;
        R2LearningRates rates = R2LearningRates.parse(learningRates);
        BackendRegistry backends = BackendRegistry.discover();
        String backendId = backends.select(backend).id();
        DType dt = Dtypes.choose(backends.get(backendId), dtype);
        List<SsmA5SearchPlan> plans = R2A5Experiment.ssmPlans(c, rates, maxSteps, print, a5Size, seed, backendId, dt);
        plans.forEach(p -> p.spec(1)); // validate sizes (e.g. the Transformer's heads) before any training
        int longest = c.lengths().stream().mapToInt(Integer::intValue).max().orElse(2);
        int deepest = c.depths().stream().mapToInt(Integer::intValue).max().orElse(1);
        for (SsmA5SearchPlan p : plans) {
            org.lincde.harness.run.SizeBudget.check(c.source() + (hidden != null ? " with --hidden " + hidden : ""),
                    p.spec(deepest), StructureRegistry.discover(), c.hiddenDim(), deepest, c.batchSize(), longest);
        }
        List<RunRecord> records = run(backends, plans);
        out.println();
        out.println("Minimum number of blocks for validation token accuracy > 90 % (—: not reached with depths "
                + c.depths() + "):");
        StringBuilder head = new StringBuilder(String.format("  %-12s", "length"));
        c.lengths().forEach(n -> head.append(String.format("%4d", n)));
        out.println(head);
        for (int i = 0; i < plans.size(); i++) {
            StringBuilder row = new StringBuilder(String.format("  %-12s", plans.get(i).modelName()));
            for (int n : c.lengths()) {
                Double d = records.get(i).metrics().get(SsmA5SearchPlan.minDepthKey(n));
                row.append(String.format("%4s", d == null || d == 0 ? "—" : String.valueOf(Math.round(d))));
            }
            out.println(row);
        }
        return 0;
    }

    private <P extends RunPlan> List<RunRecord> run(BackendRegistry backends, List<P> plans) {
        PrintWriter out = spec.commandLine().getOut();
        ResultsStore store = new ResultsStore(results);
        List<RunRecord> records = new ArrayList<>();
        try (RunContext ctx = context(backends)) {
            for (P plan : plans) {
                var existing = store.get(plan.artifact(), plan.key());
                if (existing.isPresent()) {
                    out.printf("%s (%s): record exists, skipped%n", plan.cell(), plan.key());
                    records.add(existing.get());
                    continue;
                }
                out.printf("%s (%s)%n", plan.cell(), plan.key());
                out.flush();
                RunRecord r = plan.execute(ctx);
                store.put(r);
                out.printf("  %s after %d steps, %.3f s/step -> %s%n", r.status(), r.stepsTaken(), r.secondsPerStep(),
                        results.resolve(plan.artifact()).resolve(r.key() + ".json"));
                records.add(r);
            }
        }
        return records;
    }

    private static long positive(String option, long v) {
        if (v < 1) {
            throw new IllegalArgumentException(option + " must be >= 1, got " + v);
        }
        return v;
    }
}
