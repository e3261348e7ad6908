package org.lincde.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.lincde.harness.config.R1Config;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.train.EvaluationPoint;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.DType;
import org.lincde.spi.StructureRegistry;

/**
 * Holds {@link CodeVersions} honest: a small run per model and structure of R1's protocol, on the float64 reference
 * backend, has a golden digest of its numbers (curve and metrics to 9 significant digits) next to its code
 * fingerprint in {@code code-fingerprints.tsv}. When the numbers move and the fingerprint did not, the test fails
 * and names the components to bump: a record made before the change would otherwise be taken for a new one.
 * After a bump (or for a new model), regenerate the file with {@code -Dlincde.fingerprints.update=true}.
 */
class CodeVersionsTest {
    private static final String GOLDEN = "code-fingerprints.tsv";
    /** Widths for models whose head layout needs more than 16 (R1's transformer: 16 heads, even head size). */
    private static final Map<String, Integer> WIDTH = Map.of("transformer", 32, "mamba", 32, "rwkv7", 64);
    /** Extra keys for models whose library sizes are large (small fla heads, as the smoke profile uses). */
    private static final Map<String, Map<String, Object>> EXTRA = Map.of(
            "gateddeltanet", Map.of("fla_num_heads", 2, "fla_head_dim", 8),
            "deltaproduct", Map.of("fla_num_heads", 2, "fla_head_dim", 8, "rank", 2),
            "xlstm", Map.of("num_blocks", 2)); // R1's default slstm_at [1] needs two blocks

    /** Tiny R1 runs: every model name, and lcde with every built-in structure. */
    static Map<String, Map<String, Object>> canonicalRuns() {
        Map<String, Map<String, Object>> runs = new LinkedHashMap<>();
        for (String structure : List.of("diagonal", "block-diagonal", "dense", "sparse", "walsh-hadamard", "dplr",
                "diagonal-dense")) {
            Map<String, Object> c = base("lcde");
            c.put("structure", structure);
            if (structure.equals("diagonal-dense") || structure.equals("block-diagonal")) {
                c.put("structure_options", Map.of("block_size", 4));
            }
            runs.put("r1/lcde/" + structure, c);
        }
        for (String model : List.of("lstm", "rnn", "s4", "s6", "mamba", "mamba1", "transformer", "rwkv7", "rwkv6",
                "xlstm", "deltanet", "deltanet2", "gateddeltanet", "deltaproduct")) {
            Map<String, Object> c = base(model);
            c.put("model_dim", WIDTH.getOrDefault(model, 16));
            c.putAll(EXTRA.getOrDefault(model, Map.of()));
            if (model.equals("xlstm")) {
                c.remove("train_padding"); // the mLSTM's context is R1's pad length: validation batches are padded to 256
            }
            runs.put("r1/" + model, c);
        }
        return runs;
    }

    private static Map<String, Object> base(String model) {
        Map<String, Object> c = TinyR1Configs.of("parity", model, 1, 16, 4, 3, 0.01);
        c.put("seed", 7);
        c.put("train_lengths", List.of(3, 5));
        c.put("validation_lengths", List.of(5, 6));
        c.put("validation_samples", 8);
        c.put("train_padding", 6);
        return c;
    }

    @Test
    void numbersMoveOnlyWithAVersionBump() throws Exception {
        Map<String, String[]> golden = readGolden();
        List<String> lines = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (RunContext ctx = new RunContext(BackendRegistry.discover(), StructureRegistry.discover(), null,
                RunContext.ProgressFactory.NONE, new PrintWriter(new StringWriter()), 1)) {
            canonicalRuns().forEach((name, values) -> {
                R1Config config = R1Config.fromMap(name, values);
                TokenRunPlan plan = new TokenRunPlan("fingerprint", name, config, 0, "reference", DType.FLOAT64);
                String fingerprint = new TreeMap<>(CodeVersions.fingerprint(plan.config())).toString();
                String digest = digest(plan.execute(ctx));
                lines.add(name + "\t" + fingerprint + "\t" + digest);
                String[] g = golden.get(name);
                if (g == null) {
                    problems.add(name + ": no golden digest yet (new model? regenerate " + GOLDEN + ")");
                } else if (!g[1].equals(digest) && g[0].equals(fingerprint)) {
                    problems.add(name + ": its numbers changed but its code fingerprint " + fingerprint + " did not: "
                            + "bump the version of the component that changed in CodeVersions, then regenerate " + GOLDEN);
                } else if (!g[0].equals(fingerprint)) {
                    problems.add(name + ": fingerprint now " + fingerprint + " (was " + g[0] + "): regenerate " + GOLDEN);
                }
            });
        }
        if (Boolean.getBoolean("lincde.fingerprints.update")) {
            Path file = Path.of(System.getProperty("lincde.root.dir"), "harness", "protocols", "src", "test",
                    "resources", "org", "lincde", "harness", "run", GOLDEN);
            Files.writeString(file, "# run\tcode fingerprint\tdigest of its numbers (CodeVersionsTest)\n"
                    + String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            return;
        }
        assertThat(problems).as("regenerate with -Dlincde.fingerprints.update=true after bumping versions").isEmpty();
    }

    @Test
    void aRunKeyChangesWithTheVersionOfAComponentItUses() {
        Map<String, Object> config = Map.of("protocol", "r1", "model_name", "lcde", "structure", "diagonal", "seed", 1);
        assertThat(CodeVersions.fingerprint(config)).containsOnlyKeys("protocol:r1", "model:lcde", "structure:diagonal");
        // R1 configs carry a structure for every model: only a linear CDE's key depends on it
        assertThat(CodeVersions.fingerprint(Map.of("protocol", "r1", "model_name", "lstm", "structure", "dense")))
                .containsOnlyKeys("protocol:r1", "model:lstm");
        Map<String, Object> keyed = new LinkedHashMap<>(config);
        keyed.put("code", CodeVersions.fingerprint(config));
        assertThat(RunPlan.keyOf(config)).isEqualTo(org.lincde.harness.results.CanonicalJson.key(keyed))
                .isNotEqualTo(org.lincde.harness.results.CanonicalJson.key(config));
        Map<String, Object> bumped = new LinkedHashMap<>(keyed);
        bumped.put("code", Map.of("protocol:r1", 1, "model:lcde", 2, "structure:diagonal", 1));
        assertThat(org.lincde.harness.results.CanonicalJson.key(bumped)).isNotEqualTo(RunPlan.keyOf(config));
    }

    private static String digest(RunRecord r) {
        StringBuilder sb = new StringBuilder(r.status()).append('|').append(r.stepsTaken());
        for (EvaluationPoint p : r.curve()) {
            sb.append('|').append(p.step()).append(':').append(round(p.valAccuracy())).append(':')
                    .append(round(p.trainLoss()));
        }
        new TreeMap<>(r.metrics()).forEach((k, v) -> {
            if (!k.contains("sec") && !k.contains("rss")) {
                sb.append('|').append(k).append('=').append(round(v));
            }
        });
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 9 significant digits: the reference backend is deterministic, but Math's transcendental functions may differ in
     * the last bit between JVMs. */
    private static String round(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.8e", v) : Double.toString(v);
    }

    private static Map<String, String[]> readGolden() throws IOException {
        Map<String, String[]> out = new LinkedHashMap<>();
        try (var in = CodeVersionsTest.class.getResourceAsStream(GOLDEN)) {
            if (in == null) {
                return out;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                out.put(f[0], new String[] {f[1], f[2]});
            }
        }
        return out;
    }
}
