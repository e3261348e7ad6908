package org.lincde.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.lincde.harness.config.R1Config;
import org.lincde.harness.data.uea.UeaFiles;
import org.lincde.harness.io.Safetensors;
import org.lincde.harness.run.ModelSpecs;
import org.lincde.spi.ElementType;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.model.Models;

/**
 * Hostile but realistic input, as a table: every row is one bad config, flag, weights file, data file or results
 * folder, run through the command a user would type (or, for file formats, the reader that command uses). Each row
 * asserts the exit code, that the one-line message names the place at fault (file, key, flag, tensor, line), that
 * no stack trace is printed, and that {@code results/} and {@code reproduction/} are byte-for-byte unchanged.
 */
class HostileInputTest {
    private static Path dir;
    private static Path results;
    private static Path out;
    private static Path configs;
    private static Map<String, String> before;

    /** One row: what is run, the exit code, and the words the error must contain. */
    record Case(String name, List<String> args, int code, List<String> mentions, Callable<?> reader) {
        static Case cli(String name, int code, List<String> mentions, String... args) {
            return new Case(name, List.of(args), code, mentions, null);
        }

        static Case read(String name, List<String> mentions, Callable<?> reader) {
            return new Case(name, List.of(), 2, mentions, reader);
        }
    }

    static final String BASE = "{\"task\": \"parity\", \"model_name\": \"lcde\", \"num_blocks\": 1, \"model_dim\": 8, "
            + "\"batch_size\": 4, \"num_steps\": 2, \"print_steps\": 1, \"learning_rate\": 0.01, \"seed\": 7, "
            + "\"train_lengths\": [3, 5], \"validation_lengths\": [5, 6], \"validation_samples\": 8, "
            + "\"train_padding\": 6, \"diagonal\": true}";

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("lincde-hostile");
        results = dir.resolve("results");
        out = dir.resolve("reproduction");
        configs = dir.resolve("configs");
        Files.createDirectories(configs);
        // a previous good state: one record and a rendered report
        Files.createDirectories(results.resolve("slice-a5"));
        Files.writeString(results.resolve("slice-a5/keep.txt"), "a file of the user's\n");
        assertThat(cli("report", "--profile", "smoke", "--results", results.toString(), "--out", out.toString()).code)
                .isZero();
        before = snapshot();
    }

    @AfterAll
    static void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Exit code and stderr of {@code lincde args…} run in this JVM (Main's exit-code rules). */
    record Run(int code, String out, String err) {}

    static synchronized Run cli(String... args) {
        PrintStream o = System.out;
        PrintStream e = System.err;
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        ByteArrayOutputStream be = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(bo, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(be, true, StandardCharsets.UTF_8));
            // the CLI is on the runtime class path only (paper-tables does not compile against it)
            Class<?> main = Class.forName("org.lincde.harness.cli.Main");
            Method run = main.getMethod("run", String[].class);
            int code = (Integer) run.invoke(null, (Object) args);
            return new Run(code, bo.toString(StandardCharsets.UTF_8), be.toString(StandardCharsets.UTF_8));
        } catch (ReflectiveOperationException ex) {
            throw new AssertionError(ex);
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    /** Every file under results/ and reproduction/ with the SHA-256 of its bytes (lock files excluded). */
    static Map<String, String> snapshot() throws IOException {
        Map<String, String> m = new TreeMap<>();
        for (Path root : List.of(results, out)) {
            if (!Files.exists(root)) {
                m.put(root.getFileName().toString(), "absent");
                continue;
            }
            if (!Files.isDirectory(root)) {
                m.put(root.getFileName().toString(), "file " + sha(root));
                continue;
            }
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.toList()) {
                    String rel = dir.relativize(p).toString();
                    if (p.getFileName().toString().startsWith(".lock-")) {
                        continue;
                    }
                    m.put(rel, Files.isDirectory(p) ? "dir" : sha(p));
                }
            }
        }
        return m;
    }

    static String sha(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path file(String name, String text) throws IOException {
        Path p = configs.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static Path bytes(String name, byte[] b) throws IOException {
        Path p = configs.resolve(name);
        Files.write(p, b);
        return p;
    }

    /** BASE with {@code key} set to the raw JSON {@code value} (or removed when value is null). */
    static String with(String key, String value) {
        String body = BASE.substring(1, BASE.length() - 1);
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : body.split(", \"")) {
            String p = part.startsWith("\"") ? part.substring(1) : part;
            int colon = p.indexOf("\": ");
            kv.put(p.substring(0, colon), p.substring(colon + 3));
        }
        if (value == null) {
            kv.remove(key);
        } else {
            kv.put(key, value);
        }
        StringBuilder sb = new StringBuilder("{");
        kv.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append('"').append(k).append("\": ").append(v));
        return sb.append('}').toString();
    }

    static List<String> train(Path config, String... more) {
        List<String> a = new ArrayList<>(List.of("train", config.toString(), "--results", results.toString(), "--quiet",
                "--backend", "reference"));
        a.addAll(List.of(more));
        return a;
    }

    static List<Case> cases() throws Exception {
        List<Case> t = new ArrayList<>();
        Consumer<Case> add = t::add;
        int[] n = {0};
        // ---- R1 JSON configs, key by key, through train and bench ----
        Map<String, List<String>> badValues = new LinkedHashMap<>();
        for (String k : List.of("num_blocks", "model_dim", "batch_size", "print_steps", "a5_size", "runs",
                "validation_samples")) {
            badValues.put(k, List.of("0", "-1", "1.5", "\"8\"", "true", "[1]", "{}", "null", "3000000000"));
        }
        badValues.put("num_steps", List.of("0", "-5", "\"x\"", "1e15", "1000000000000000", "null", "true"));
        badValues.put("learning_rate", List.of("0", "-1", "\"0.1\"", "null", "true", "[]", "1e999"));
        badValues.put("dropout_rate", List.of("1", "-0.1", "2", "\"x\""));
        badValues.put("vf_A_norm_lambda", List.of("-1", "\"x\"", "[]"));
        for (String k : List.of("diagonal", "fwht", "use_glu", "second_embedding", "gated", "fla_bfloat16")) {
            badValues.put(k, List.of("\"true\"", "1", "[]", "null"));
        }
        badValues.put("block_size", List.of("0", "-2", "\"x\"", "100"));
        badValues.put("rank", List.of("-1", "\"x\"", "100"));
        badValues.put("sparsity", List.of("0.0", "-0.1", "1.5", "\"x\""));
        badValues.put("structure", List.of("5", "[]", "\"nope\""));
        badValues.put("structure_options", List.of("\"x\"", "{\"a\": {}}", "[1]"));
        badValues.put("task", List.of("5", "null", "\"A5=0\"", "\"A5=x\"", "\"A5-1\"", "\"nope\"", "\"\""));
        badValues.put("model_name", List.of("null", "5", "\"transformer9\""));
        badValues.put("dtype", List.of("\"float16\"", "5"));
        badValues.put("training_loop", List.of("\"x\"", "1"));
        badValues.put("slstm_at", List.of("\"some\"", "[1.5]", "{}"));
        badValues.put("train_lengths", List.of("[5]", "[0, 3]", "[5, 3]", "\"x\""));
        badValues.put("validation_lengths", List.of("[5]", "[-1, 3]", "[9, 3]"));
        badValues.put("train_padding", List.of("\"x\"", "[]"));
        badValues.put("seed", List.of("\"x\"", "1.5", "[]"));
        badValues.put("length", List.of("\"x\"", "1.5"));
        badValues.put("early_stop_threshold", List.of("\"x\"", "[]"));
        badValues.put("init_std", List.of("\"x\""));
        for (Map.Entry<String, List<String>> e : badValues.entrySet()) {
            for (String v : e.getValue()) {
                String key = e.getKey();
                Path p = file("k" + (n[0]++) + ".json", key.equals("structure_options")
                        ? with("structure", "\"diagonal\"").replace("}", ", \"structure_options\": " + v + "}")
                        : with(key, v));
                String mention = key.equals("structure") && v.equals("\"nope\"") ? "structure" : key;
                add.accept(new Case("train: " + key + " = " + v, train(p), 2, List.of(p.getFileName().toString(),
                        mention), null));
            }
        }
        // bench reads the same keys (model-only): a sample of them
        for (String[] kv : new String[][] {{"model_dim", "0"}, {"model_dim", "1000000000"}, {"num_blocks", "-1"},
                {"model_name", "null"}, {"rank", "100"}, {"sparsity", "0.0"}, {"task", "\"A5=0\""},
                {"structure_options", "{\"rank\": 2}"}, {"dtype", "\"int8\""}, {"block_size", "0"}}) {
            Path p = file("b" + (n[0]++) + ".json", kv[0].equals("structure_options")
                    ? with("structure", "\"diagonal\"").replace("}", ", \"structure_options\": " + kv[1] + "}")
                    : with(kv[0], kv[1]));
            add.accept(Case.cli("bench --config: " + kv[0] + " = " + kv[1], 2, List.of(p.getFileName().toString(),
                    kv[0].equals("model_dim") && kv[1].length() > 3 ? "heap" : kv[0]),
                    "bench", "--config", p.toString(), "--backend", "reference", "--steps", "1", "--warmup", "0"));
        }
        // sizes that cannot fit: refused up front, with the estimate
        for (String[] kv : new String[][] {{"model_dim", "1000000000"}, {"model_dim", "100000"},
                {"batch_size", "2000000000"}, {"num_blocks", "100000000"}}) {
            Path p = file("s" + (n[0]++) + ".json", with(kv[0], kv[1]));
            add.accept(new Case("train: " + kv[0] + " = " + kv[1] + " (heap)", train(p), 2,
                    List.of(p.getFileName().toString(), "heap"), null));
        }
        Path big = file("hidden-yaml.yaml", "x: 1\n");
        // ---- JSON syntax ----
        Map<String, String> syntax = new LinkedHashMap<>();
        syntax.put("truncated", BASE.substring(0, BASE.length() / 2));
        syntax.put("trailing comma", BASE.replace("}", ",}"));
        syntax.put("duplicate key", BASE.replace("}", ", \"model_dim\": 16}"));
        syntax.put("second object", BASE + "\n" + BASE);
        syntax.put("trailing garbage", BASE + " x");
        syntax.put("nested 100000 deep", "[".repeat(100_000) + "]".repeat(100_000));
        syntax.put("nested 100 deep in a key", BASE.replace("}", ", \"name\": " + "[".repeat(100) + "]".repeat(100) + "}"));
        syntax.put("5001-digit number", with("model_dim", "1" + "0".repeat(5000)));
        syntax.put("5001-digit fraction", with("learning_rate", "0." + "1".repeat(5000)));
        syntax.put("empty file", "");
        syntax.put("whitespace only", "  \n\t ");
        syntax.put("top-level array", "[" + BASE + "]");
        syntax.put("top-level string", "\"hello\"");
        syntax.put("top-level null", "null");
        syntax.put("comment", "// hi\n" + BASE);
        syntax.put("single quotes", BASE.replace('"', '\''));
        syntax.put("unknown key", BASE.replace("}", ", \"foo\": 1}"));
        syntax.put("wrong-case key", BASE.replace("}", ", \"Model_dim\": 1}"));
        syntax.put("NaN literal", with("learning_rate", "NaN"));
        syntax.put("missing required key", with("model_dim", null));
        syntax.put("missing task", with("task", null));
        for (Map.Entry<String, String> e : syntax.entrySet()) {
            Path p = file("j" + (n[0]++) + ".json", e.getValue());
            add.accept(new Case("train: JSON " + e.getKey(), train(p), 2, List.of(p.getFileName().toString()), null));
        }
        Path bom = bytes("bad-utf8.json", concat(BASE.substring(0, 20).getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xff, (byte) 0xfe}, BASE.substring(20).getBytes(StandardCharsets.UTF_8)));
        add.accept(new Case("train: JSON not UTF-8", train(bom), 2, List.of("bad-utf8.json", "UTF-8"), null));
        // ---- config paths that are not files ----
        Path fifo = configs.resolve("fifo.json");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        Path huge = configs.resolve("huge.json");
        try (var raf = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            raf.setLength(64L << 20); // sparse: 64 MiB of zeros on no disk
        }
        for (Path p : List.of(fifo, Path.of("/dev/zero"), Path.of("/dev/null"), configs, configs.resolve("missing.json"),
                huge)) {
            add.accept(new Case("train: config " + p, train(p), 2, List.of(p.getFileName().toString()), null));
            add.accept(Case.cli("bench: config " + p, 2, List.of(p.getFileName().toString()), "bench", "--config",
                    p.toString(), "--backend", "reference"));
            add.accept(Case.cli("experiment --r3: config " + p, 2, List.of(p.getFileName().toString()),
                    "experiment", "--r3", p.toString(), "--results", results.toString()));
        }
        // ---- train flags ----
        Path good = file("good.json", BASE);
        for (String[] f : new String[][] {{"--runs", "0"}, {"--runs", "-1"}, {"--steps", "0"}, {"--steps", "-3"},
                {"--batch-size", "0"}, {"--validation-samples", "0"}, {"--a5-size", "1"}, {"--dtype", "float16"},
                {"--backend", "nope"}, {"--runs", "x"}, {"--steps", "1e3"}, {"--threads", "x"}}) {
            List<String> args = train(good, f[0], f[1]);
            if (f[0].equals("--backend")) {
                args.subList(args.indexOf("--backend"), args.indexOf("--backend") + 2).clear();
            }
            add.accept(new Case("train " + f[0] + " " + f[1], args, 2, List.of(f[0].equals("--backend")
                    ? "nope" : f[0].equals("--dtype") ? "float16" : f[0]), null));
        }
        // ---- bench flags ----
        for (String[] f : new String[][] {{"--batch", "0"}, {"--batch", "-1"}, {"--length", "1"}, {"--length", "-5"},
                {"--length", "2000000000"}, {"--steps", "0"}, {"--warmup", "-1"}, {"--batch", "x"},
                {"--batch", "2000000000"}}) {
            add.accept(Case.cli("bench " + f[0] + " " + f[1], 2, List.of(f[0].equals("--batch") && f[1].length() > 5
                    ? "heap" : f[0]), "bench", "--config", good.toString(), "--backend", "reference", f[0], f[1]));
        }
        for (String[] f : new String[][] {{"--hidden", "0"}, {"--blocks", "0"}, {"--ssm-dim", "-1"},
                {"--channels", "0"}, {"--classes", "0"}, {"--conv-dim", "0"}, {"--expansion", "0"}, {"--batch", "-1"},
                {"--length", "0"}, {"--hidden", "1000000000"}}) {
            add.accept(Case.cli("bench --r3-model S6 " + f[0] + " " + f[1], 2, List.of(f[1].length() > 5 ? "heap"
                    : f[0]), "bench", "--r3-model", "S6", "--backend", "reference", f[0], f[1]));
        }
        add.accept(Case.cli("bench --r3-model nope", 2, List.of("--r3-model"), "bench", "--r3-model", "nope"));
        add.accept(Case.cli("bench without a source", 2, List.of("--config"), "bench"));
        add.accept(Case.cli("bench with both sources", 2, List.of("--config"), "bench", "--config", good.toString(),
                "--r3-model", "S6"));
        // ---- R2 YAML configs through experiment ----
        Path root = Path.of(System.getProperty("lincde.root.dir", ".."));
        String lcde = Files.readString(root.resolve("experiment_configs/lcde_a5.yaml"));
        String ssm = Files.readString(root.resolve("experiment_configs/ssm_a5.yaml"));
        Map<String, String[]> yamlCases = new LinkedHashMap<>();
        for (String k : List.of("hidden_dim", "output_dim", "batch_size", "input_dim", "num_steps", "print_steps")) {
            for (String v : List.of("0", "-1", "x", "[1]", "1.5", "null")) {
                yamlCases.put("lcde " + k + ": " + v, new String[] {"LCDE", replaceYaml(lcde, k, v), k});
            }
        }
        yamlCases.put("lcde hidden_dim: 1000000000", new String[] {"LCDE", replaceYaml(lcde, "hidden_dim",
                "1000000000"), "heap"});
        for (String v : List.of("0", "-1", "x", "[]")) {
            yamlCases.put("lcde learning_rate: " + v, new String[] {"LCDE", replaceYaml(lcde, "learning_rate", v),
                    "learning_rate"});
        }
        for (String v : List.of("0", "1", "1.5", "x")) {
            yamlCases.put("lcde train_split: " + v, new String[] {"LCDE", replaceYaml(lcde, "train_split", v),
                    "train_split"});
        }
        yamlCases.put("lcde lengths: [1]", new String[] {"LCDE", lcde.replaceAll("(?s)lengths:.*", "lengths: [1]\n"),
                "lengths"});
        yamlCases.put("lcde lengths: x", new String[] {"LCDE", lcde.replaceAll("(?s)lengths:.*", "lengths: x\n"),
                "lengths"});
        yamlCases.put("lcde duplicate key", new String[] {"LCDE", lcde + "hidden_dim: 8\n", "hidden_dim"});
        yamlCases.put("lcde second document", new String[] {"LCDE", lcde + "---\nhidden_dim: 8\n", "second"});
        yamlCases.put("lcde unknown key", new String[] {"LCDE", lcde + "foo: 1\n", "foo"});
        yamlCases.put("lcde missing key", new String[] {"LCDE", lcde.replace("hidden_dim: 256\n", ""), "hidden_dim"});
        yamlCases.put("lcde nested 1000", new String[] {"LCDE", lcde + "foo: " + "[".repeat(1000) + "]".repeat(1000)
                + "\n", "lcde_a5.yaml"});
        yamlCases.put("lcde list document", new String[] {"LCDE", "- 1\n- 2\n", "lcde_a5.yaml"});
        yamlCases.put("lcde empty", new String[] {"LCDE", "", "lcde_a5.yaml"});
        yamlCases.put("lcde tab indentation", new String[] {"LCDE", "hidden_dim:\n\t- 1\n", "lcde_a5.yaml"});
        yamlCases.put("lcde alias bomb", new String[] {"LCDE", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a,"
                + " *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c,"
                + " *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n", "lcde_a5.yaml"});
        yamlCases.put("lcde long number", new String[] {"LCDE", replaceYaml(lcde, "hidden_dim", "1" + "0".repeat(5000)),
                "lcde_a5.yaml"});
        for (String v : List.of("[\"GPT\"]", "[]", "x")) {
            yamlCases.put("ssm model_names: " + v, new String[] {"SequenceModel", ssm.replaceAll(
                    "(?s)model_names:.*?lengths:", "model_names: " + v + "\nlengths:"), "model_names"});
        }
        for (String k : List.of("hidden_dim", "state_dim", "batch_size", "num_epochs", "input_dim")) {
            for (String v : List.of("0", "-2", "x")) {
                yamlCases.put("ssm " + k + ": " + v, new String[] {"SequenceModel", replaceYaml(ssm, k, v), k});
            }
        }
        yamlCases.put("ssm hidden_dim: 1000000000", new String[] {"SequenceModel", replaceYaml(ssm, "hidden_dim",
                "1000000000"), "heap"});
        yamlCases.put("ssm duplicate key", new String[] {"SequenceModel", ssm + "state_dim: 8\n", "state_dim"});
        int yi = 0;
        for (Map.Entry<String, String[]> e : yamlCases.entrySet()) {
            Path d = configs.resolve("y" + (yi++));
            Files.createDirectories(d);
            String name = e.getValue()[0].equals("LCDE") ? "lcde_a5.yaml" : "ssm_a5.yaml";
            Files.writeString(d.resolve(name), e.getValue()[1]);
            add.accept(Case.cli("experiment: " + e.getKey(), 2, List.of(name, e.getValue()[2]), "experiment", "-m",
                    e.getValue()[0], "-e", "A5", "--configs", d.toString(), "--results", results.toString(),
                    "--backend", "reference", "--quiet", "--lengths", "3", "--steps", "1"));
        }
        Path yamlFifo = configs.resolve("yfifo");
        Files.createDirectories(yamlFifo);
        new ProcessBuilder("mkfifo", yamlFifo.resolve("lcde_a5.yaml").toString()).start().waitFor();
        add.accept(Case.cli("experiment: lcde_a5.yaml is a FIFO", 2, List.of("lcde_a5.yaml", "regular"), "experiment",
                "-m", "LCDE", "-e", "A5", "--configs", yamlFifo.toString(), "--results", results.toString()));
        // experiment flags: blamed on the flag, checked before any file is read
        Path realConfigs = root.resolve("experiment_configs");
        for (String[] f : new String[][] {{"--lengths", "-4"}, {"--lengths", "0"}, {"--lengths", "3,1"},
                {"--depths", "0"}, {"--hidden", "0"}, {"--state", "-1"}, {"--a5-size", "1"}, {"--steps", "0"},
                {"--print-steps", "0"}, {"-l", "1"}, {"--threads", "-1"}, {"--lengths", "x"}}) {
            add.accept(Case.cli("experiment " + f[0] + " " + f[1], 2, List.of(f[0]), "experiment", "-m",
                    "SequenceModel", "-e", "A5", "--configs", realConfigs.toString(), "--results", results.toString(),
                    f[0], f[1]));
        }
        add.accept(Case.cli("experiment -m nope", 2, List.of("-m"), "experiment", "-m", "nope", "-e", "A5"));
        add.accept(Case.cli("experiment -e nope", 2, List.of("-e"), "experiment", "-m", "LCDE", "-e", "nope"));
        add.accept(Case.cli("experiment nothing", 2, List.of("-m"), "experiment"));
        add.accept(Case.cli("experiment -c missing", 2, List.of("missing"), "experiment", "-c", "missing", "--configs",
                realConfigs.toString()));
        add.accept(Case.cli("experiment --configs file", 2, List.of("--configs"), "experiment", "-m", "LCDE", "-e",
                "A5", "--configs", good.toString()));
        add.accept(Case.cli("experiment --runs with -m", 2, List.of("--runs"), "experiment", "-m", "LCDE", "-e", "A5",
                "--runs", "2", "--configs", realConfigs.toString()));
        // ---- eval: weights and input ----
        Path evalConfig = file("eval.json", BASE);
        R1Config c = R1Config.read(evalConfig);
        var task = org.lincde.harness.data.TokenTasks.create("parity",
                org.lincde.harness.data.TaskOptions.r1Defaults(7));
        var spec = ModelSpecs.fromR1(c, task.vocabSize(), task.labelDim());
        ParameterSet params = Models.initialize(spec, StructureRegistry.discover(), Rng.seeded(1));
        Path weights = configs.resolve("w.safetensors");
        Safetensors.write(weights, params, ElementType.FLOAT32);
        byte[] w = Files.readAllBytes(weights);
        Path input = file("input.json", "{\"input\": [[1, 2, 1]]}");
        Path output = dir.resolve("eval-out.json");
        Map<String, byte[]> badWeights = new LinkedHashMap<>();
        badWeights.put("trailing bytes", concat(w, new byte[] {1, 2, 3, 4}));
        badWeights.put("truncated data", java.util.Arrays.copyOf(w, w.length - 4));
        badWeights.put("truncated header", java.util.Arrays.copyOf(w, 20));
        badWeights.put("empty", new byte[0]);
        badWeights.put("header length huge", withLength(w, Long.MAX_VALUE));
        badWeights.put("header length negative", withLength(w, -8));
        badWeights.put("header length zero", withLength(w, 0));
        badWeights.put("duplicate key", editHeader(w, h -> h.replaceFirst("\\{\"", "{\"linear.bias\":{\"dtype\":\"F32\","
                + "\"shape\":[0],\"data_offsets\":[0,0]},\"")));
        badWeights.put("overlapping offsets", editHeader(w, HostileInputTest::overlap));
        badWeights.put("F32 relabelled I64", editHeader(w, h -> relabel(h)));
        badWeights.put("unknown dtype", editHeader(w, h -> h.replaceFirst("\"F32\"", "\"F16\"")));
        badWeights.put("header not JSON", editHeader(w, h -> "{" + h));
        badWeights.put("metadata not object", editHeader(w, h -> h.replaceFirst("\"__metadata__\":\\{[^}]*\\}",
                "\"__metadata__\":5")));
        badWeights.put("negative shape", editHeader(w, h -> h.replaceFirst("\"shape\":\\[(\\d+)", "\"shape\":[-$1")));
        badWeights.put("shape too large", editHeader(w, h -> h.replaceFirst("\"shape\":\\[(\\d+)",
                "\"shape\":[2000000000,2000000000,2000000000,$1")));
        for (Map.Entry<String, byte[]> e : badWeights.entrySet()) {
            Path p = bytes("w" + (n[0]++) + ".safetensors", e.getValue());
            add.accept(Case.cli("eval: weights " + e.getKey(), 2, List.of(p.getFileName().toString()), "eval",
                    "--config", evalConfig.toString(), "--weights", p.toString(), "--input", input.toString(),
                    "--output", output.toString(), "--backend", "reference"));
            if (!e.getKey().contains("relabelled")) { // the reader cannot tell; the model's declared dtypes can
                add.accept(Case.read("safetensors reader: " + e.getKey(), List.of(p.getFileName().toString()),
                        () -> Safetensors.read(p)));
            }
        }
        for (Path p : List.of(fifo, configs, configs.resolve("none.safetensors"))) {
            add.accept(Case.cli("eval: weights " + p.getFileName(), 2, List.of(p.getFileName().toString()), "eval",
                    "--config", evalConfig.toString(), "--weights", p.toString(), "--input", input.toString(),
                    "--output", output.toString(), "--backend", "reference"));
        }
        Map<String, String> badInputs = new LinkedHashMap<>();
        badInputs.put("duplicate key", "{\"input\": [[1]], \"input\": [[2]]}");
        badInputs.put("two objects", "{\"input\": [[1]]} {\"input\": [[2]]}");
        badInputs.put("id out of range", "{\"input\": [[1, 99]]}");
        badInputs.put("negative id", "{\"input\": [[-1]]}");
        badInputs.put("empty list", "{\"input\": []}");
        badInputs.put("not a list", "{\"input\": 5}");
        badInputs.put("unknown key", "{\"input\": [[1]], \"x\": 1}");
        badInputs.put("not JSON", "{input: [[1]]}");
        badInputs.put("deep", "{\"input\": " + "[".repeat(5000) + "]".repeat(5000) + "}");
        badInputs.put("null", "null");
        for (Map.Entry<String, String> e : badInputs.entrySet()) {
            Path p = file("i" + (n[0]++) + ".json", e.getValue());
            add.accept(Case.cli("eval: input " + e.getKey(), 2, List.of(p.getFileName().toString()), "eval",
                    "--config", evalConfig.toString(), "--weights", weights.toString(), "--input", p.toString(),
                    "--output", output.toString(), "--backend", "reference"));
        }
        add.accept(Case.cli("eval: input FIFO", 2, List.of(fifo.getFileName().toString()), "eval", "--config",
                evalConfig.toString(), "--weights", weights.toString(), "--input", fifo.toString(), "--output",
                output.toString(), "--backend", "reference"));
        add.accept(Case.cli("eval: config model_dim mismatch", 2, List.of("w.safetensors"), "eval", "--config",
                file("e16.json", with("model_dim", "16")).toString(), "--weights", weights.toString(), "--input",
                input.toString(), "--output", output.toString(), "--backend", "reference"));
        // ---- report and reproduce: folders and flags ----
        Path aFile = file("a-file", "x");
        String rs = results.toString();
        String os = out.toString();
        add.accept(Case.cli("report: --out is a file", 2, List.of("a-file", "not a folder"), "report", "--profile",
                "smoke", "--results", rs, "--out", aFile.toString()));
        add.accept(Case.cli("report: --out below a file", 2, List.of("a-file"), "report", "--profile", "smoke",
                "--results", rs, "--out", aFile.resolve("sub").toString()));
        add.accept(Case.cli("report: --results is a file", 2, List.of("a-file", "not a folder"), "report", "--profile",
                "smoke", "--results", aFile.toString(), "--out", os));
        add.accept(Case.cli("reproduce: --results is a file", 2, List.of("a-file"), "reproduce", "--profile", "smoke",
                "--results", aFile.toString(), "--out", os, "--backend", "reference", "--quiet"));
        add.accept(Case.cli("reproduce: --results below a file", 2, List.of("a-file"), "reproduce", "--profile",
                "smoke", "--results", aFile.resolve("r").toString(), "--out", os, "--backend", "reference", "--quiet"));
        add.accept(Case.cli("reproduce: --out is a file", 2, List.of("a-file"), "reproduce", "--profile", "smoke",
                "--results", rs, "--out", aFile.toString(), "--backend", "reference", "--quiet", "--only",
                "slice-a5"));
        for (String[] f : new String[][] {{"--profile", "nope"}, {"--shard", "0/4"}, {"--shard", "5/4"},
                {"--shard", "x"}, {"--shard", "1/0"}, {"--only", "nope"}, {"--wait-for-lock", "-1"},
                {"--backend", "nope"}, {"--dtype", "float16"}, {"--threads", "x"}}) {
            add.accept(Case.cli("reproduce " + f[0] + " " + f[1], 2, List.of(f[0].equals("--backend") ? "nope"
                    : f[0].equals("--dtype") ? "float16" : f[0].equals("--only") || f[0].equals("--profile") ? "nope"
                    : f[0].equals("--shard") ? "shard" : f[0]), "reproduce", "--results", rs, "--out", os, "--quiet",
                    f[0], f[1]));
            add.accept(Case.cli("report " + f[0] + " " + f[1], 2, List.of(f[0].equals("--backend") ? "nope"
                    : f[0].equals("--dtype") ? "float16" : f[0].equals("--only") || f[0].equals("--profile") ? "nope"
                    : f[0].equals("--shard") || f[0].equals("--wait-for-lock") ? "Unknown option" : f[0]), "report",
                    "--results", rs, "--out", os, f[0], f[1]));
        }
        // ---- datasets ----
        add.accept(Case.cli("datasets fetch nope", 2, List.of("nope"), "datasets", "fetch", "nope"));
        add.accept(Case.cli("datasets fetch --checksums FIFO", 2, List.of("--checksums"), "datasets", "fetch", "uea",
                "--names", "BasicMotions", "--checksums", fifo.toString(), "--dir", dir.resolve("data").toString()));
        add.accept(Case.cli("datasets fetch --checksums missing", 2, List.of("--checksums"), "datasets", "fetch",
                "uea", "--names", "BasicMotions", "--checksums", configs.resolve("nope.txt").toString(), "--dir",
                dir.resolve("data").toString()));
        Path sums = file("sums.properties", "BasicMotions.zip=xyz\n");
        add.accept(Case.cli("datasets fetch --checksums bad sum", 2, List.of("sums.properties", "BasicMotions.zip"),
                "datasets", "fetch", "uea", "--names", "BasicMotions", "--checksums", sums.toString(), "--dir",
                dir.resolve("data").toString()));
        // ---- UEA files (.ts, .arff) through their readers ----
        String ts = "@problemName X\n@timeStamps false\n@univariate false\n@dimensions 2\n@equalLength true\n"
                + "@seriesLength 3\n@classLabel true a b\n@data\n1,2,3:4,5,6:a\n1,2,3:4,5,6:b\n";
        Map<String, byte[]> badTs = new LinkedHashMap<>();
        badTs.put("not UTF-8", concat(ts.substring(0, 60).getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xc3,
                (byte) 0x28}, ts.substring(60).getBytes(StandardCharsets.UTF_8)));
        badTs.put("Latin-1 label", ts.replace(":b\n", ":\u00e9\n").getBytes(StandardCharsets.ISO_8859_1));
        badTs.put("undeclared label", ts.replace(":b\n", ":c\n").getBytes(StandardCharsets.UTF_8));
        badTs.put("bad number", ts.replace("4,5,6:b", "4,x,6:b").getBytes(StandardCharsets.UTF_8));
        badTs.put("channel count", ts.replace("1,2,3:4,5,6:b", "1,2,3:b").getBytes(StandardCharsets.UTF_8));
        badTs.put("no data", ts.substring(0, ts.indexOf("@data")).getBytes(StandardCharsets.UTF_8));
        badTs.put("no label", ts.replace("1,2,3:4,5,6:b", "1,2,3").getBytes(StandardCharsets.UTF_8));
        badTs.put("dimensions x", ts.replace("@dimensions 2", "@dimensions x").getBytes(StandardCharsets.UTF_8));
        badTs.put("dimensions 0", ts.replace("@dimensions 2", "@dimensions 0").getBytes(StandardCharsets.UTF_8));
        badTs.put("timestamps", ts.replace("@timeStamps false", "@timeStamps true").getBytes(StandardCharsets.UTF_8));
        badTs.put("regression", (ts.replace("@classLabel true a b", "@targetLabel true")).getBytes(
                StandardCharsets.UTF_8));
        badTs.put("text before header", ("hello\n" + ts).getBytes(StandardCharsets.UTF_8));
        badTs.put("infinity", ts.replace("4,5,6:b", "4,1e999,6:b").getBytes(StandardCharsets.UTF_8));
        badTs.put("empty", new byte[0]);
        for (Map.Entry<String, byte[]> e : badTs.entrySet()) {
            Path p = bytes("X" + (n[0]++) + "_TRAIN.ts", e.getValue());
            add.accept(Case.read(".ts reader: " + e.getKey(), List.of(p.getFileName().toString()),
                    () -> UeaFiles.read(p)));
        }
        String arff = "@relation X\n@attribute input relational\n@attribute t0 numeric\n@attribute t1 numeric\n"
                + "@end input\n@attribute class {a,b}\n@data\n'1,2\\n3,4',a\n'1,2\\n3,4',b\n";
        Map<String, byte[]> badArff = new LinkedHashMap<>();
        badArff.put("not UTF-8", concat(arff.substring(0, 30).getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0x80},
                arff.substring(30).getBytes(StandardCharsets.UTF_8)));
        badArff.put("undeclared label", arff.replace("',b", "',c").getBytes(StandardCharsets.UTF_8));
        badArff.put("bad number", arff.replace("'1,2\\n3,4',b", "'1,x\\n3,4',b").getBytes(StandardCharsets.UTF_8));
        badArff.put("unclosed quote", arff.replace("'1,2\\n3,4',b", "'1,2\\n3,4,b").getBytes(StandardCharsets.UTF_8));
        badArff.put("no data", arff.substring(0, arff.indexOf("@data")).getBytes(StandardCharsets.UTF_8));
        badArff.put("univariate", "@relation X\n@attribute a numeric\n@attribute class {a}\n@data\n1,a\n".getBytes(
                StandardCharsets.UTF_8));
        badArff.put("empty", new byte[0]);
        for (Map.Entry<String, byte[]> e : badArff.entrySet()) {
            Path p = bytes("X" + (n[0]++) + "_TRAIN.arff", e.getValue());
            add.accept(Case.read(".arff reader: " + e.getKey(), List.of(p.getFileName().toString()),
                    () -> UeaFiles.read(p)));
        }
        assertThat(big).exists();
        // ---- R3 repeat configs (experiment --r3); the first was found by ReaderFuzzTest (seed 7): an
        // ArithmeticException before the fix ----
        String r3 = Files.readString(root.resolve("experiment_configs/repeats/log_ncde/EigenWorms.json"));
        Map<String, String[]> r3Cases = new LinkedHashMap<>();
        r3Cases.put("batch_size 323000000000 (fuzz finding)", new String[] {r3.replaceFirst(
                "\"batch_size\": *\\d+", "\"batch_size\": 323000000000"), "batch_size"});
        r3Cases.put("hidden_dim 1e30", new String[] {r3.replaceFirst("\"hidden_dim\": *\"?\\d+\"?",
                "\"hidden_dim\": 1e30"), "hidden_dim"});
        r3Cases.put("num_steps 99999999999999999999", new String[] {r3.replaceFirst("\"num_steps\": *\\d+",
                "\"num_steps\": 99999999999999999999"), "num_steps"});
        r3Cases.put("unknown key", new String[] {r3.replaceFirst("\\{", "{\"foo\": 1, "), "foo"});
        r3Cases.put("duplicate key", new String[] {r3.replaceFirst("\\{", "{\"num_steps\": 5, "), "num_steps"});
        r3Cases.put("lr_scheduler", new String[] {r3.replaceFirst("\"lambda lr: lr\"", "\"cosine\""),
                "lr_scheduler"});
        r3Cases.put("seeds not a list", new String[] {r3.replaceFirst("(?s)\"seeds\": *\\[.*?\\]",
                "\"seeds\": 5"), "seeds"});
        for (Map.Entry<String, String[]> e : r3Cases.entrySet()) {
            Path d = configs.resolve("r3-" + (n[0]++));
            Files.createDirectories(d);
            Path f = Files.writeString(d.resolve("EigenWorms.json"), e.getValue()[0]);
            add.accept(Case.cli("experiment --r3: " + e.getKey(), 2, List.of("EigenWorms.json", e.getValue()[1]),
                    "experiment", "--r3", f.toString(), "--results", results.toString(), "--backend", "reference"));
        }
        // a case line with no channel values, and safetensors offsets given as text
        Path emptyChannel = bytes("X" + (n[0]++) + "_TRAIN.ts", "@classLabel true a\n@data\n:a\n".getBytes(
                StandardCharsets.UTF_8));
        add.accept(Case.read(".ts reader: empty channel", List.of(emptyChannel.getFileName().toString()),
                () -> UeaFiles.read(emptyChannel)));
        Path textOffsets = bytes("w" + (n[0]++) + ".safetensors", editHeader(w, h -> h.replaceFirst(
                "\"data_offsets\":\\[(\\d+),(\\d+)\\]", "\"data_offsets\":[\"$1\",\"$2\"]")));
        add.accept(Case.read("safetensors reader: offsets as text", List.of(textOffsets.getFileName().toString()),
                () -> Safetensors.read(textOffsets)));
        return t;
    }

    static String replaceYaml(String yaml, String key, String value) {
        return yaml.replaceAll("(?m)^" + key + ":.*$", key + ": " + java.util.regex.Matcher.quoteReplacement(value));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    static byte[] withLength(byte[] w, long n) {
        byte[] c = w.clone();
        ByteBuffer.wrap(c, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(n);
        return c;
    }

    /** The file with its header text changed by {@code edit} (the header length field updated). */
    static byte[] editHeader(byte[] w, java.util.function.UnaryOperator<String> edit) {
        long n = ByteBuffer.wrap(w, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String h = new String(w, 8, (int) n, StandardCharsets.UTF_8).strip();
        byte[] nh = edit.apply(h).getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + nh.length + (w.length - 8 - (int) n)).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(nh.length).put(nh).put(w, 8 + (int) n, w.length - 8 - (int) n);
        return b.array();
    }

    /** The second tensor's offsets moved back by 4 bytes onto the first tensor's data (and its end too). */
    static String overlap(String h) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"data_offsets\":\\[(\\d+),(\\d+)\\]").matcher(h);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            long b = Long.parseLong(m.group(1));
            long e = Long.parseLong(m.group(2));
            m.appendReplacement(sb, b >= 4 ? "\"data_offsets\":[" + (b - 4) + "," + (e - 4) + "]" : m.group());
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Every F32 tensor of two elements or more relabelled: F64 where the byte count allows, else I64 halves. */
    static String relabel(String h) {
        // an even number of F32 values is the same byte count as half as many I64: shape halved on the last axis
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "\\{\"dtype\":\"F32\",\"shape\":\\[(\\d+)\\],").matcher(h);
        StringBuilder sb = new StringBuilder();
        boolean done = false;
        while (m.find()) {
            int d = Integer.parseInt(m.group(1));
            if (!done && d % 2 == 0 && d > 0) {
                m.appendReplacement(sb, "{\"dtype\":\"I64\",\"shape\":[" + d / 2 + "],");
                done = true;
            } else {
                m.appendReplacement(sb, m.group());
            }
        }
        m.appendTail(sb);
        return sb.toString();
    }

    @TestFactory
    Stream<DynamicTest> everyHostileInputGetsOneClearLineAndChangesNothing() throws Exception {
        List<Case> cases = cases();
        assertThat(cases.size()).as("hostile inputs in the table").isGreaterThanOrEqualTo(250);
        System.out.println("HostileInputTest: " + cases.size() + " hostile inputs");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    static void check(Case c) throws Exception {
        String message;
        int code;
        if (c.reader() != null) {
            try {
                c.reader().call();
                throw new AssertionError(c.name() + ": accepted");
            } catch (IllegalArgumentException | org.lincde.harness.data.uea.UeaFormatException
                     | org.lincde.harness.data.DataFileException e) {
                message = e.getMessage();
                code = 2;
            }
        } else {
            Run r = cli(c.args().toArray(String[]::new));
            message = r.err();
            code = r.code();
            assertThat(r.err()).as(c.name() + ": no stack trace").doesNotContain("\tat ")
                    .doesNotContain("Exception in thread").doesNotContain("internal error");
        }
        assertThat(code).as(c.name() + " exit code; message: " + message).isEqualTo(c.code());
        for (String m : c.mentions()) {
            assertThat(message).as(c.name() + ": the message names " + m).contains(m);
        }
        assertThat(snapshot()).as(c.name() + ": results/ and reproduction/ unchanged").isEqualTo(before);
    }

    @Test
    void theTableHoldsTheIssuesCases() throws Exception {
        List<String> names = cases().stream().map(Case::name).toList();
        assertThat(names).contains("train: model_dim = 3000000000", "train: JSON nested 100000 deep",
                "train: JSON 5001-digit number", "bench --batch -1", "bench --length 2000000000",
                "report: --out is a file", "train: JSON duplicate key", "train: JSON second object",
                "experiment: lcde second document", "train: model_name = null", "train: task = \"A5=0\"",
                "train: rank = 100", "train: sparsity = 0.0", "train --runs 0", "train: num_steps = 1e15",
                "experiment --lengths -4", ".ts reader: not UTF-8", "reproduce: --results is a file",
                "safetensors reader: overlapping offsets", "eval: weights F32 relabelled I64",
                "safetensors reader: trailing bytes", "safetensors reader: duplicate key");
    }
}
