package org.lincde.harness.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.harness.config.R1Config;
import org.lincde.harness.data.uea.UeaArffReader;
import org.lincde.harness.data.uea.UeaFormatException;
import org.lincde.harness.data.uea.UeaTsReader;
import org.lincde.harness.r2.LcdeA5Config;
import org.lincde.harness.r2.LcdeToyConfig;
import org.lincde.harness.r2.SsmA5Config;
import org.lincde.harness.r2.SsmToyConfig;
import org.lincde.harness.uea.R3RepeatConfig;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterSet;

/**
 * A bounded, seeded mutation fuzzer over the readers of files users hand lincde: R1's JSON configs, R2's YAML configs,
 * R3's repeat configs, safetensors weights and the UEA {@code .ts}/{@code .arff} files. Each target starts from valid
 * files and applies random byte flips, insertions of format tokens ({@code {}, [, ", ---, &a, @data, 1e999, 0xff}…),
 * deletions, duplications, truncations and splices, for {@link #ITERATIONS} inputs (the same inputs on every machine,
 * however loaded; {@code -Dlincde.fuzz.seconds=S} adds a time cap for long campaigns) or {@link #SECONDS} seconds,
 * whichever comes first. A reader may accept an input or refuse it with its documented one-line exception naming the
 * source; anything else (a NullPointerException, an overflow, a StackOverflowError, an exception without the file's
 * name) is a finding: the test fails printing the input, which then joins the hostile-input table once fixed. The
 * seed is fixed (same inputs every run); {@code -Dlincde.fuzz.seed=N} and {@code -Dlincde.fuzz.seconds=S} explore
 * further.
 */
class ReaderFuzzTest {
    static final int ITERATIONS = Integer.getInteger("lincde.fuzz.iterations", 1000);
    static final double SECONDS = Double.parseDouble(System.getProperty("lincde.fuzz.seconds", "1e9"));
    static final long SEED = Long.getLong("lincde.fuzz.seed", 20250519L);

    static final String[] TOKENS = {"{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999", "-1", "0",
        "3000000000", "1.5", "NaN", "\n", "---\n", "&a ", "*a", "!!python/object ", "@data\n", "?", "'", "\\n",
        "\"model_dim\": ", "\"task\": ", "@classLabel true a b\n", "@attribute ", "@end", "\t", "\u00e9", "#", "%",
        ": [", "- ", "\"data_offsets\":[0,99999999999]", "\"dtype\":\"I64\"", "\"shape\":[-1]", "((", "1:2:3"};

    /** Something a reader must do with one input: accept it or throw its documented exception. */
    interface Target {
        void read(byte[] input, Path scratch) throws Exception;
    }

    record Finding(String target, String input, Throwable error) {}

    static byte[] mutate(byte[] seed, List<byte[]> corpus, SplittableRandom r) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] x = seed.clone();
        int rounds = 1 + r.nextInt(4);
        for (int k = 0; k < rounds; k++) {
            int n = x.length;
            int at = n == 0 ? 0 : r.nextInt(n + 1);
            b.reset();
            switch (r.nextInt(8)) {
                case 0 -> { // flip a byte
                    if (n > 0) {
                        x[Math.min(at, n - 1)] ^= (byte) (1 << r.nextInt(8));
                    }
                    continue;
                }
                case 1, 2 -> { // insert a token
                    b.write(x, 0, at);
                    b.writeBytes(TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
                    b.write(x, at, n - at);
                }
                case 3 -> { // delete a range
                    int len = Math.min(n - at, 1 + r.nextInt(16));
                    b.write(x, 0, at);
                    b.write(x, at + len, n - at - len);
                }
                case 4 -> { // duplicate a range
                    int len = Math.min(n - at, 1 + r.nextInt(64));
                    b.write(x, 0, at + len);
                    b.write(x, at, n - at);
                }
                case 5 -> { // truncate
                    b.write(x, 0, at);
                }
                case 6 -> { // splice with another corpus file
                    byte[] o = corpus.get(r.nextInt(corpus.size()));
                    int from = o.length == 0 ? 0 : r.nextInt(o.length);
                    b.write(x, 0, at);
                    b.write(o, from, o.length - from);
                }
                default -> { // a random byte
                    b.write(x, 0, at);
                    b.write(r.nextInt(256));
                    b.write(x, at, n - at);
                }
            }
            x = b.toByteArray();
        }
        return x;
    }

    static String show(byte[] input) {
        StringBuilder sb = new StringBuilder();
        for (byte c : input) {
            int v = c & 0xff;
            sb.append(v >= 0x20 && v < 0x7f && v != '\\' ? String.valueOf((char) v) : String.format("\\x%02x", v));
        }
        return sb.length() > 2000 ? sb.substring(0, 2000) + "…" : sb.toString();
    }

    /** Runs {@code target} over mutations of {@code seeds}; returns the iterations done and records findings. */
    static int fuzz(String name, List<byte[]> seeds, Target target, Class<? extends Throwable> allowed,
                    String mustName, Path scratch, List<Finding> findings) {
        SplittableRandom r = new SplittableRandom(SEED ^ name.hashCode());
        long until = System.nanoTime() + (long) (SECONDS * 1e9);
        int i = 0;
        for (; i < ITERATIONS && System.nanoTime() < until; i++) {
            byte[] input = mutate(seeds.get(r.nextInt(seeds.size())), seeds, r);
            try {
                target.read(input, scratch);
            } catch (Throwable t) {
                boolean documented = allowed.isInstance(t) || t instanceof UeaFormatException
                        && allowed == UeaFormatException.class;
                if (!documented || t.getMessage() == null || !t.getMessage().contains(mustName)) {
                    findings.add(new Finding(name, show(input), t));
                    if (findings.size() > 20) {
                        break;
                    }
                }
            }
        }
        return i;
    }

    static final String R1 = "{\"task\": \"parity\", \"model_name\": \"lcde\", \"num_blocks\": 1, \"model_dim\": 8, "
            + "\"batch_size\": 4, \"num_steps\": 2, \"print_steps\": 1, \"learning_rate\": 0.01, \"seed\": 7, "
            + "\"train_lengths\": [3, 5], \"validation_lengths\": [5, 6], \"diagonal\": true, \"rank\": 2, "
            + "\"structure_options\": {}, \"slstm_at\": [1]}";

    static final String TS = "# comment\n@problemName X\n@timeStamps false\n@missing true\n@univariate false\n"
            + "@dimensions 2\n@equalLength false\n@classLabel true a b\n@data\n1,2,3:4,5,?:a\n1.5,-2e3:4,5:b\n";

    static final String ARFF = "% c\n@relation X\n@attribute input relational\n@attribute t0 numeric\n"
            + "@attribute t1 numeric\n@end input\n@attribute class {a,b}\n@data\n'1,2\\n3,4',a\n'1,?\\n3,4',b\n";

    @Test
    void readersAcceptOrRefuseInOneLineForEveryMutatedInput(@TempDir Path dir) throws Exception {
        Path root = Path.of(System.getProperty("lincde.root.dir", "../.."));
        List<Finding> findings = new ArrayList<>();
        StringBuilder counts = new StringBuilder();
        int total = 0;

        List<byte[]> json = List.of(R1.getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(root.resolve("experiment_configs/bdlncde_cycle_nav.json")));
        int n = fuzz("R1 JSON", json, (in, s) -> R1Config.parse("fuzz.json",
                StrictText.utf8("fuzz.json", in)), IllegalArgumentException.class, "fuzz.json", dir, findings);
        counts.append("R1 JSON ").append(n);
        total += n;

        List<byte[]> yaml = new ArrayList<>();
        for (String f : List.of("lcde_a5.yaml", "ssm_a5.yaml", "lcde_toy.yaml", "ssm_toy.yaml")) {
            yaml.add(Files.readAllBytes(root.resolve("experiment_configs").resolve(f)));
        }
        n = fuzz("R2 YAML", yaml, (in, s) -> {
            String text = StrictText.utf8("fuzz.yaml", in);
            for (var parse : List.<java.util.function.BiConsumer<String, String>>of(LcdeA5Config::parse,
                    SsmA5Config::parse, LcdeToyConfig::parse, SsmToyConfig::parse)) {
                try {
                    parse.accept("fuzz.yaml", text);
                } catch (IllegalArgumentException e) {
                    if (!String.valueOf(e.getMessage()).contains("fuzz.yaml")) {
                        throw new AssertionError("message without the file: " + e.getMessage(), e);
                    }
                }
            }
        }, IllegalArgumentException.class, "fuzz.yaml", dir, findings);
        counts.append(", R2 YAML ").append(n);
        total += n;

        List<byte[]> r3 = new ArrayList<>();
        try (var s = Files.walk(root.resolve("experiment_configs/repeats"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".json")).limit(6).toList()) {
                r3.add(Files.readAllBytes(p));
            }
        }
        Path r3File = dir.resolve("EigenWorms.json");
        n = fuzz("R3 JSON", r3, (in, s) -> {
            Files.write(r3File, in);
            R3RepeatConfig.read(r3File);
        }, IllegalArgumentException.class, "EigenWorms.json", dir, findings);
        counts.append(", R3 JSON ").append(n);
        total += n;

        ParameterSet ps = new ParameterSet();
        ps.put("a.weight", HostTensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3), ParameterSet.Role.TRAINABLE);
        ps.put("b", HostTensor.of(new double[] {0.5}, 1), ParameterSet.Role.TRAINABLE);
        ps.put("mask", HostTensor.of(org.lincde.spi.ElementType.BOOL, new double[] {1, 0}, 2), ParameterSet.Role.BUFFER);
        Path st = dir.resolve("w.safetensors");
        Safetensors.write(st, ps, org.lincde.spi.ElementType.FLOAT32);
        byte[] w32 = Files.readAllBytes(st);
        Safetensors.write(st, ps, org.lincde.spi.ElementType.FLOAT64);
        byte[] w64 = Files.readAllBytes(st);
        Path stFile = dir.resolve("fuzz.safetensors");
        n = fuzz("safetensors", List.of(w32, w64), (in, s) -> {
            Files.write(stFile, in);
            Safetensors.read(stFile);
        }, IllegalArgumentException.class, "fuzz.safetensors", dir, findings);
        counts.append(", safetensors ").append(n);
        total += n;

        n = fuzz(".ts", List.of(TS.getBytes(StandardCharsets.UTF_8)), (in, s) -> {
            Path f = dir.resolve("F_TRAIN.ts");
            Files.write(f, in);
            UeaTsReader.read(f);
        }, UeaFormatException.class, "F_TRAIN.ts", dir, findings);
        counts.append(", .ts ").append(n);
        total += n;
        n = fuzz(".ts (in memory)", List.of(TS.getBytes(StandardCharsets.UTF_8)), (in, s) -> UeaTsReader.read(
                new BufferedReader(new StringReader(new String(in, StandardCharsets.UTF_8))), "mem.ts"),
                UeaFormatException.class, "mem.ts", dir, findings);
        counts.append(", .ts in memory ").append(n);
        total += n;

        n = fuzz(".arff", List.of(ARFF.getBytes(StandardCharsets.UTF_8)), (in, s) -> {
            Path f = dir.resolve("F_TRAIN.arff");
            Files.write(f, in);
            UeaArffReader.read(f);
        }, UeaFormatException.class, "F_TRAIN.arff", dir, findings);
        counts.append(", .arff ").append(n);
        total += n;

        System.out.println("ReaderFuzzTest: " + total + " inputs (" + counts + "), seed " + SEED + ", "
                + findings.size() + " findings");
        StringBuilder report = new StringBuilder();
        for (Finding f : findings) {
            report.append("\n").append(f.target()).append(": ").append(f.error()).append("\n  input: ")
                    .append(f.input());
        }
        assertThat(findings).as("readers that crashed or refused without naming the file:" + report).isEmpty();
        assertThat(total).as("inputs tried").isGreaterThan(1000);
    }
}
