package org.lincde.harness.conformance;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.lincde.spi.Backend;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.DType;
import org.lincde.spi.Device;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;

/**
 * The conformance kit (docs/ARCHITECTURE.md "Conformance"; docs/STYLE.md D4, D5, K3–K5, J5, §7): for every
 * backend × structure × model case × dtype it compares forward outputs, every gradient and the
 * parameters after 5 AdamW steps with the float64 reference backend, from the same
 * {@link org.lincde.spi.ParameterSet}, {@link org.lincde.spi.Batch} and dropout {@link Rng} streams;
 * compares the fused and the generic path and the recurrent and the scan evaluation on the backend itself;
 * checks the structures' invariants (gradient masks keep zeros, scan blocks are closed under products,
 * {@code H·H = h·I}, generic transition {@code == denseMatrix·y}); and checks the reference's gradients
 * against central finite differences. Tolerances come from {@link Tolerances}.
 *
 * <p>The kit is main code: the JUnit suite and {@code lincde conformance} run the same cases. It runs
 * on instances, no {@link java.util.ServiceLoader} needed ({@link #forStructure}, {@link #forBackend}),
 * as JUnit's {@code EngineTestKit} does; {@link #discover()} takes whatever is on the class path.
 *
 * <p>Outcomes: a dtype the backend does not declare is UNSUPPORTED; a case that does not apply (no
 * fused kernels declared) is a SKIP with its reason; anything else that goes wrong is a FAIL, an
 * undeclared {@link UnsupportedOperationException} included.
 */
public final class ConformanceKit {
    /** The oracle's backend id. */
    public static final String ORACLE_ID = "reference";

    private final List<Backend> backends;
    private final List<Subject> subjects;
    private final List<ModelCase> modelCases;
    private final List<DType> dtypes;
    private final Set<Check> checks;
    private final Backend oracle;
    private final Function<String, KnownGaps> knownGaps;
    private final boolean requireAvailable;
    private final int threads;
    private final Device device;
    private final long seed;
    private final Consumer<CaseResult> listener;
    private final List<String> unavailable;

    private ConformanceKit(Builder b) {
        this.backends = List.copyOf(b.backends);
        this.modelCases = List.copyOf(b.modelCases);
        this.dtypes = List.copyOf(b.dtypes);
        this.checks = EnumSet.copyOf(b.checks);
        this.oracle = b.oracle != null ? b.oracle : discoverOracle();
        this.knownGaps = b.knownGaps;
        this.requireAvailable = b.requireAvailable;
        this.threads = b.threads;
        this.device = b.device;
        this.seed = b.seed;
        this.listener = b.listener;
        this.unavailable = List.copyOf(b.unavailable);
        Set<String> discoverable = new HashSet<>();
        for (Structure s : StructureRegistry.discover().all()) {
            discoverable.add(s.id());
        }
        List<Subject> subs = new ArrayList<>();
        for (Map.Entry<Structure, List<StructureSpec>> e : b.structures.entrySet()) {
            for (StructureSpec spec : e.getValue()) {
                subs.add(new Subject(e.getKey(), spec, discoverable.contains(spec.id())));
            }
        }
        this.subjects = subs;
    }

    /** A builder with nothing chosen: add backends and structures (or use {@link #discover()}). */
    public static Builder builder() {
        return new Builder();
    }

    /** Every backend and structure on the class path (ServiceLoader), every model case and dtype. */
    public static Builder discover() {
        BackendRegistry backends = BackendRegistry.discover();
        StructureRegistry structures = StructureRegistry.discover();
        Builder b = builder().backends(backends.all());
        for (Structure s : structures.all()) {
            b.structure(s);
        }
        b.unavailable.addAll(backends.unavailable());
        b.unavailable.addAll(structures.unavailable());
        return b;
    }

    /**
     * Runs the kit for one structure instance (a plugin's own test) on every backend on the class path,
     * at its {@linkplain #conformanceSpecs default conformance options} or at {@code specs} when given.
     */
    public static ConformanceReport forStructure(Structure structure, StructureSpec... specs) {
        BackendRegistry backends = BackendRegistry.discover();
        // only the model cases that have a vector field: the baselines say nothing about a structure
        Builder b = builder().backends(backends.all())
                .modelCases(Builder.defaultCases().stream().filter(ModelCase::usesStructure).toList());
        if (specs.length == 0) {
            b.structure(structure);
        } else {
            b.structure(structure, specs);
        }
        return b.build().run();
    }

    /** Runs the kit for one backend instance on every structure on the class path; it must open. */
    public static ConformanceReport forBackend(Backend backend) {
        Builder b = builder().backend(backend).requireAvailable(true);
        for (Structure s : StructureRegistry.discover().all()) {
            b.structure(s);
        }
        return b.build().run();
    }

    /**
     * The options a structure is checked with: small-size variants for the built-ins whose defaults
     * need a large {@code h} or leave little to check (diagonal-dense block 4, sparse keep probability
     * 0.5, DPLR rank 2 in both forms), the defaults for everything else (plugins included).
     */
    public static List<StructureSpec> conformanceSpecs(Structure s) {
        switch (s.id()) {
            case "diagonal-dense":
                return List.of(StructureSpec.of(s.id(), "block_size", "4"));
            case "sparse":
                return List.of(StructureSpec.of(s.id(), "sparsity", "0.5"));
            case "dplr":
                return List.of(StructureSpec.of(s.id(), "rank", "2"),
                        StructureSpec.of(s.id(), "rank", "2", "form", "linear"));
            default:
                return List.of(StructureSpec.of(s.id()));
        }
    }

    private static Backend discoverOracle() {
        BackendRegistry r = BackendRegistry.discover();
        if (!r.has(ORACLE_ID)) {
            throw new IllegalStateException("the float64 oracle backend '" + ORACLE_ID + "' is not on the class path "
                    + "(lincde-backend-cpu-reference); found " + r.all().stream().map(Backend::id).toList());
        }
        return r.get(ORACLE_ID);
    }

    /** Runs every case and returns the report. */
    public ConformanceReport run() {
        CaseRunner runner = new CaseRunner(listener);
        Rng root = Rng.seeded(seed);
        Map<String, KnownGaps> gapsByBackend = new LinkedHashMap<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        List<Integer> hidden = hiddenSizes();
        try (Session oracleSession = oracle.open(options(DType.FLOAT64, true))) {
            Map<String, Memo<ModelFixture>> fixtures = new LinkedHashMap<>();
            Map<String, Memo<TransitionFixture>> transitions = new LinkedHashMap<>();
            for (Subject s : subjects) {
                transitions.put(s.label(), new Memo<>(() -> new TransitionFixture(s, hidden, root, oracleSession)));
                for (ModelCase mc : modelCases) {
                    if (mc.usesStructure()) {
                        fixtures.put(s.label() + "/" + mc.name(), new Memo<>(() -> new ModelFixture(mc, s, root,
                                oracleSession)));
                    }
                }
            }
            for (ModelCase mc : modelCases) {
                if (!mc.usesStructure()) {
                    fixtures.put("-/" + mc.name(), new Memo<>(() -> new ModelFixture(mc, Subject.NONE, root,
                            oracleSession)));
                }
            }
            for (Backend b : backends) {
                long t0 = System.nanoTime();
                KnownGaps gaps = knownGaps.apply(b.id());
                gapsByBackend.put(b.id(), gaps);
                for (DType dtype : dtypes) {
                    runBackend(runner, b, dtype, gaps, fixtures, transitions, oracleSession, root);
                }
                seconds.put(b.id(), (System.nanoTime() - t0) / 1e9);
            }
        }
        return new ConformanceReport(runner.results(), gapsByBackend, oracle.id(), unavailable, seconds);
    }

    private List<Integer> hiddenSizes() {
        for (ModelCase mc : modelCases) {
            if (mc instanceof LinearCdeCase l) {
                return l.hidden();
            }
        }
        return List.of(8, 4, 6);
    }

    private SessionOptions options(DType dtype, boolean fused) {
        return new SessionOptions(dtype, Device.CPU, threads, fused, null);
    }

    /**
     * The options of a backend under test: on the kit's device, except for the oracle's own float64 row,
     * which stays on the CPU where the oracle runs.
     */
    private SessionOptions options(Backend b, DType dtype, boolean fused) {
        Device d = b.id().equals(oracle.id()) ? Device.CPU : device;
        return new SessionOptions(dtype, d, threads, fused, null);
    }

    private void runBackend(CaseRunner runner, Backend b, DType dtype, KnownGaps gaps,
                            Map<String, Memo<ModelFixture>> fixtures, Map<String, Memo<TransitionFixture>> transitions,
                            Session oracleSession, Rng root) {
        String id = b.id();
        if (!b.capabilities().dtypes().contains(dtype)) {
            recordAll(runner, b, dtype, fixtures, Outcome.UNSUPPORTED, "backend '" + id + "' declares dtypes "
                    + new TreeSet<>(b.capabilities().dtypes()));
            return;
        }
        if (!id.equals(oracle.id()) && !b.capabilities().devices().contains(device)) {
            recordAll(runner, b, dtype, fixtures, Outcome.UNSUPPORTED, "backend '" + id + "' declares devices "
                    + new TreeSet<>(b.capabilities().devices()) + ", not " + device);
            return;
        }
        boolean fusedDeclared = b.capabilities().fusedKernels();
        Session main = null;
        Session generic = null;
        try {
            try {
                main = b.open(options(b, dtype, true));
                generic = fusedDeclared ? b.open(options(b, dtype, false)) : null;
            } catch (RuntimeException | LinkageError e) {
                recordAll(runner, b, dtype, fixtures, requireAvailable ? Outcome.FAIL : Outcome.SKIP,
                        "backend '" + id + "' cannot open a " + dtype.label() + " session here: " + CaseRunner.describe(e));
                return;
            }
            ModelChecks modelChecks = new ModelChecks(runner, id, dtype, gaps, checks);
            OpChecks opChecks = new OpChecks(runner, id, dtype, gaps, checks);
            boolean oracleRow = id.equals(oracle.id()) && dtype == DType.FLOAT64;
            for (Subject s : subjects) {
                Memo<TransitionFixture> tf = transitions.get(s.label());
                if (fixtureOrRecord(runner, id, dtype, s, "-", OpChecks.applicable(s), tf)) {
                    opChecks.run(s, tf, main, root);
                    if (oracleRow && checks.contains(Check.SCAN_BLOCKS)) {
                        runner.run(id, s, "-", Check.SCAN_BLOCKS, dtype, gaps, () -> OracleChecks.scanBlocks(tf.get()));
                    }
                }
                for (ModelCase mc : modelCases) {
                    if (mc.usesStructure()) {
                        runModel(runner, modelChecks, fixtures.get(s.label() + "/" + mc.name()), s, mc, main, generic,
                                oracleRow, gaps, dtype, id, oracleSession);
                    }
                }
            }
            for (ModelCase mc : modelCases) {
                if (!mc.usesStructure()) {
                    runModel(runner, modelChecks, fixtures.get("-/" + mc.name()), Subject.NONE, mc, main, generic,
                            oracleRow, gaps, dtype, id, oracleSession);
                }
            }
        } finally {
            closeQuietly(main);
            closeQuietly(generic);
        }
    }

    private void runModel(CaseRunner runner, ModelChecks modelChecks, Memo<ModelFixture> fx, Subject s, ModelCase mc,
                          Session main, Session generic, boolean oracleRow, KnownGaps gaps, DType dtype, String id,
                          Session oracleSession) {
        List<Check> base = List.of(Check.FORWARD, Check.GRADIENTS, Check.ADAMW);
        if (!fixtureOrRecord(runner, id, dtype, s, mc.name(), base, fx)) {
            return;
        }
        modelChecks.run(fx.get(), main, generic);
        if (oracleRow && checks.contains(Check.FINITE_DIFFERENCES)) {
            if (!s.discoverable()) {
                runner.record(id, s, mc.name(), Check.FINITE_DIFFERENCES, dtype, Outcome.SKIP,
                        "structure is not registered for ServiceLoader (see the other cases)");
            } else {
                runner.run(id, s, mc.name(), Check.FINITE_DIFFERENCES, dtype, gaps,
                        () -> OracleChecks.finiteDifferences(oracleSession, fx.get()));
            }
        }
    }

    /** Builds a fixture; when that fails, records each case as SKIP (not applicable) or FAIL and returns false. */
    private boolean fixtureOrRecord(CaseRunner runner, String id, DType dtype, Subject s, String model, List<Check> cases,
                                    Memo<?> fixture) {
        try {
            fixture.get();
            return true;
        } catch (ModelCase.NotApplicable e) {
            for (Check c : cases) {
                if (checks.contains(c)) {
                    runner.record(id, s, model, c, dtype, Outcome.SKIP, e.getMessage());
                }
            }
        } catch (RuntimeException | LinkageError e) {
            for (Check c : cases) {
                if (checks.contains(c)) {
                    runner.record(id, s, model, c, dtype, Outcome.FAIL, "cannot build the case: " + CaseRunner.describe(e));
                }
            }
        }
        return false;
    }

    /** Records every case of a backend and dtype with one outcome (undeclared dtype, backend that cannot open). */
    private void recordAll(CaseRunner runner, Backend b, DType dtype, Map<String, Memo<ModelFixture>> fixtures,
                           Outcome outcome, String reason) {
        for (Subject s : subjects) {
            for (Check c : OpChecks.applicable(s)) {
                record(runner, b, s, "-", c, dtype, outcome, reason);
            }
            for (ModelCase mc : modelCases) {
                if (mc.usesStructure()) {
                    recordModel(runner, b, s, mc, fixtures.get(s.label() + "/" + mc.name()), dtype, outcome, reason);
                }
            }
        }
        for (ModelCase mc : modelCases) {
            if (!mc.usesStructure()) {
                recordModel(runner, b, Subject.NONE, mc, fixtures.get("-/" + mc.name()), dtype, outcome, reason);
            }
        }
    }

    private void recordModel(CaseRunner runner, Backend b, Subject s, ModelCase mc, Memo<ModelFixture> fx, DType dtype,
                             Outcome outcome, String reason) {
        List<Check> cases;
        try {
            cases = ModelChecks.applicable(fx.get());
        } catch (RuntimeException | LinkageError e) {
            return; // reported where the fixture is used
        }
        for (Check c : cases) {
            record(runner, b, s, mc.name(), c, dtype, outcome, reason);
        }
    }

    private void record(CaseRunner runner, Backend b, Subject s, String model, Check c, DType dtype, Outcome outcome,
                        String reason) {
        if (checks.contains(c)) {
            runner.record(b.id(), s, model, c, dtype, outcome, reason);
        }
    }

    private static void closeQuietly(Session s) {
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException | LinkageError e) {
                // closing is best effort; the cases already ran
            }
        }
    }

    /** Chooses what the kit runs. */
    public static final class Builder {
        private final List<Backend> backends = new ArrayList<>();
        private final Map<Structure, List<StructureSpec>> structures = new LinkedHashMap<>();
        private final List<ModelCase> modelCases = new ArrayList<>(defaultCases());
        private List<DType> dtypes = List.of(DType.FLOAT64, DType.FLOAT32);
        private Set<Check> checks = EnumSet.allOf(Check.class);
        private Backend oracle;
        private Function<String, KnownGaps> knownGaps = KnownGaps::forBackend;
        private boolean requireAvailable;
        private int threads = 1;
        private Device device = Device.CPU;
        private long seed = 20_250_523L;
        private Consumer<CaseResult> listener;
        private final List<String> unavailable = new ArrayList<>();

        private Builder() {}

        /** Adds a backend under test. */
        public Builder backend(Backend b) {
            backends.add(b);
            return this;
        }

        /** Adds backends under test. */
        public Builder backends(List<? extends Backend> bs) {
            backends.addAll(bs);
            return this;
        }

        /** Keeps only the backends with these ids (an unknown id is an error listing the known ones). */
        public Builder onlyBackends(Set<String> ids) {
            checkKnown("backend", ids, backends.stream().map(Backend::id).toList());
            backends.removeIf(b -> !ids.contains(b.id()));
            return this;
        }

        /** Adds a structure at its {@linkplain #conformanceSpecs conformance options}. */
        public Builder structure(Structure s) {
            structures.put(s, conformanceSpecs(s));
            return this;
        }

        /** Adds a structure at the given options. */
        public Builder structure(Structure s, StructureSpec... specs) {
            structures.put(s, List.of(specs));
            return this;
        }

        /** Keeps only the structures with these ids (an unknown id is an error listing the known ones). */
        public Builder onlyStructures(Set<String> ids) {
            checkKnown("structure", ids, structures.keySet().stream().map(Structure::id).toList());
            structures.keySet().removeIf(s -> !ids.contains(s.id()));
            return this;
        }

        /** Replaces the model cases (default: {@link LinearCdeCase#small()}). */
        /** The stacked Linear CDE (per structure) and every baseline family. */
        static List<ModelCase> defaultCases() {
            List<ModelCase> all = new ArrayList<>();
            all.add(LinearCdeCase.small());
            all.add(LogLinearCdeCase.small());
            all.addAll(NeuralCdeCase.all());
            all.addAll(BaselineCase.all());
            return all;
        }

        public Builder modelCases(List<ModelCase> cases) {
            modelCases.clear();
            modelCases.addAll(cases);
            return this;
        }

        /** The dtypes to run (default float64 and float32). */
        public Builder dtypes(List<DType> d) {
            dtypes = List.copyOf(d);
            return this;
        }

        /** The checks to run (default all). */
        public Builder checks(Set<Check> c) {
            checks = EnumSet.copyOf(c);
            return this;
        }

        /** The float64 oracle (default: backend {@value #ORACLE_ID} from the class path). */
        public Builder oracle(Backend b) {
            oracle = b;
            return this;
        }

        /** Where known gaps come from (default: {@link KnownGaps#forBackend}). */
        public Builder knownGaps(Function<String, KnownGaps> source) {
            knownGaps = source;
            return this;
        }

        /** Whether a backend that cannot open a declared dtype is a FAIL (true) or a SKIP (default). */
        public Builder requireAvailable(boolean require) {
            requireAvailable = require;
            return this;
        }

        /** Intra-op threads of every session (default 1: the models are tiny). */
        public Builder threads(int n) {
            threads = n;
            return this;
        }

        /**
         * The device the backends under test run on (default CPU); the float64 oracle always runs on the CPU.
         * A backend that does not declare the device has its cases recorded as UNSUPPORTED.
         */
        public Builder device(Device d) {
            device = java.util.Objects.requireNonNull(d, "device");
            return this;
        }

        /** The seed of parameters, batches and dropout streams. */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /** Called with each result as soon as it is known (progress output). */
        public Builder listener(Consumer<CaseResult> l) {
            listener = l;
            return this;
        }

        /** The kit. */
        public ConformanceKit build() {
            if (backends.isEmpty()) {
                throw new IllegalStateException("no backend to check");
            }
            return new ConformanceKit(this);
        }

        private static void checkKnown(String what, Set<String> ids, List<String> known) {
            for (String id : ids) {
                if (!known.contains(id)) {
                    throw new IllegalArgumentException("unknown " + what + " '" + id + "' (available: " + known + ")");
                }
            }
        }
    }
}
