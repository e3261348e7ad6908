package org.lincde.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lincde.harness.config.R1Config;
import org.lincde.harness.conformance.ConformanceKit;
import org.lincde.harness.io.Safetensors;
import org.lincde.harness.run.ModelSpecs;
import org.lincde.spi.Backend;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.ElementType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.model.Models;

/**
 * {@code lincde eval}: weights exported as safetensors and imported through the command give the logits
 * of {@link SequenceModel#forward} bit for bit (reference backend) for every structure, a tiny model's
 * logits equal the SPEC §1.1–1.2 formulas evaluated by hand, and bad input is refused clearly.
 */
class EvalCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StructureRegistry STRUCTURES = StructureRegistry.discover();
    private static Session reference;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        Backend b = BackendRegistry.discover().get("reference");
        reference = b.open(SessionOptions.of(DType.FLOAT64).withThreads(1));
    }

    @AfterAll
    static void close() {
        reference.close();
    }

    static List<StructureSpec> structures() {
        List<StructureSpec> specs = new ArrayList<>();
        for (Structure s : STRUCTURES.all()) {
            specs.addAll(ConformanceKit.conformanceSpecs(s));
        }
        return specs;
    }

    /** An R1 config for {@code s} at h = 8, 2 blocks (sizes the eval reads from the weights are absent). */
    private Path config(StructureSpec s, int h, int blocks) throws IOException {
        StringBuilder opts = new StringBuilder();
        s.options().forEach((k, v) -> opts.append(opts.length() == 0 ? "" : ", ").append('"').append(k)
                .append("\": \"").append(v).append('"'));
        String json = "{\"task\": \"cycle_nav\", \"model_name\": \"lcde\", \"num_blocks\": " + blocks
                + ", \"model_dim\": " + h + ", \"batch_size\": 4, \"num_steps\": 10, \"print_steps\": 5,"
                + " \"learning_rate\": 0.002, \"init_std\": 0.9, \"dtype\": \"float64\","
                + " \"structure\": \"" + s.id() + "\", \"structure_options\": {" + opts + "}}";
        Path p = dir.resolve("config-" + s.id() + "-h" + h + "-b" + blocks + ".json"); // one file per config
        Files.writeString(p, json);
        return p;
    }

    private Path input(String json) throws IOException {
        Path p = dir.resolve("input.json");
        Files.writeString(p, json);
        return p;
    }

    private static double[] logits(Path output) throws IOException {
        JsonNode root = JSON.readTree(output.toFile());
        List<Double> v = new ArrayList<>();
        for (JsonNode seq : root.get("logits")) {
            for (JsonNode row : seq) {
                for (JsonNode x : row) {
                    v.add(x.doubleValue());
                }
            }
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("structures")
    void exportedWeightsGiveBitIdenticalLogitsThroughEval(StructureSpec s) throws IOException {
        Path cfg = config(s, 8, 2);
        ModelSpec spec = ModelSpecs.fromR1(R1Config.read(cfg), 7, 5);
        ParameterSet params = Models.initialize(spec, STRUCTURES, Rng.seeded(42));
        Path weights = dir.resolve("w.safetensors");
        Safetensors.write(weights, params, ElementType.FLOAT64);
        Path out = dir.resolve("out.json");
        Cli.Result r = Cli.run(new EvalCommand(), "eval", "--config", cfg.toString(), "--weights", weights.toString(),
                "--input", input("{\"input\": [[1, 2, 6, 0, 3], [4, 5, 1]]}").toString(), "--output", out.toString(),
                "--backend", "reference");
        assertThat(r.code()).as(r.err()).isZero();
        // the same model, built from the in-memory parameters, on the padded batch
        int[] ids = {1, 2, 6, 0, 3, 4, 5, 1, 0, 0};
        Batch batch = new Batch(new Batch.TokenInputs(2, 5, ids), new Batch.TokenTargets(new int[10], new boolean[10]),
                new int[] {5, 3});
        try (SequenceModel m = reference.model(spec, params)) {
            HostTensor expected = m.forward(batch, ForwardMode.inference());
            assertThat(logits(out)).containsExactly(expected.data());
            assertThat(expected.shape()).containsExactly(2, 5, 5);
        }
        JsonNode root = JSON.readTree(out.toFile());
        assertThat(root.get("lengths").toString()).isEqualTo("[5,3]");
    }

    @Test
    void float32WeightsAsTheAuthorsSaveThemEvaluateLikeForwardOnTheRoundedParameters() throws IOException {
        StructureSpec s = StructureSpec.of("sparse", "sparsity", "0.5");
        Path cfg = config(s, 4, 1);
        ModelSpec spec = ModelSpecs.fromR1(R1Config.read(cfg), 6, 3);
        ParameterSet params = Models.initialize(spec, STRUCTURES, Rng.seeded(7));
        Path weights = dir.resolve("w32.safetensors");
        Safetensors.write(weights, params, ElementType.FLOAT32);
        ParameterSet rounded = new ParameterSet();
        for (ParameterSet.Entry e : params.entries()) {
            rounded.put(e.name(), e.tensor().type() == ElementType.BOOL ? e.tensor() : e.tensor().as(ElementType.FLOAT32),
                    e.role());
        }
        Path out = dir.resolve("o.json");
        Cli.Result r = Cli.run(new EvalCommand(), "eval", "--config", cfg.toString(), "--weights", weights.toString(),
                "--input", input("{\"input\": [[1, 2, 5, 0]]}").toString(), "--output", out.toString(),
                "--backend", "reference", "--dtype", "float64");
        assertThat(r.code()).as(r.err()).isZero();
        Batch batch = Batch.of(new Batch.TokenInputs(1, 4, new int[] {1, 2, 5, 0}),
                new Batch.TokenTargets(new int[4], new boolean[4]));
        try (SequenceModel m = reference.model(spec, rounded)) {
            assertThat(logits(out)).containsExactly(m.forward(batch, ForwardMode.inference()).data());
        }
        // the float32 file differs from the float64 one: rounding did happen
        try (SequenceModel m = reference.model(spec, params)) {
            assertThat(logits(out)).isNotEqualTo(m.forward(batch, ForwardMode.inference()).data());
        }
    }

    // ------------------------------------------------------------------ a tiny model by hand

    private static final double DT = 1.0 / 40.0;
    private static final double CLIP = 1e11;

    /** h = 3, V = 3, K = 2, one block, diagonal structure: every weight set by hand. */
    private static Map<String, double[]> tinyWeights(boolean withVectorField) {
        return Map.of(
                "embedding.weight", new double[] {0.5, -1.0, 2.0, 1.5, 0.25, -0.75, -2.0, 1.0, 0.5},
                "blocks.0.LCDE.init_layer.weight", new double[] {0.3, -0.2, 0.1, 0.0, 0.4, -0.5, 0.6, 0.2, -0.1},
                "blocks.0.LCDE.init_layer.bias", new double[] {0.05, -0.1, 0.2},
                // (d+1) × h = 4 × 3: row 0 is the time channel
                "blocks.0.LCDE.vf_A", withVectorField
                        ? new double[] {8.0, -6.0, 4.0, 3.0, 5.0, -7.0, -4.0, 2.0, 6.0, 1.0, -3.0, 9.0}
                        : new double[12],
                "blocks.0.linear.weight", new double[] {0.7, -0.3, 0.2, 0.1, 0.5, -0.4, -0.6, 0.3, 0.8},
                "blocks.0.linear.bias", new double[] {0.1, 0.0, -0.2},
                "blocks.0.norm.weight", new double[] {1.2, 0.8, 1.0},
                "blocks.0.norm.bias", new double[] {0.0, 0.1, -0.1},
                "linear.weight", new double[] {1.0, -0.5, 0.25, -1.5, 0.75, 2.0},
                "linear.bias", new double[] {0.3, -0.3});
    }

    private static double[] matVec(double[] w, int rows, int cols, double[] x, double[] b) {
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double acc = b == null ? 0 : b[r];
            for (int c = 0; c < cols; c++) {
                acc += w[r * cols + c] * x[c];
            }
            y[r] = acc;
        }
        return y;
    }

    /** SPEC §1.1 (D-LNCDE, eq. 2) and §1.2 (post-norm block, head) for one sequence, scalar by scalar. */
    private static double[][] handLogits(Map<String, double[]> w, int[] tokens) {
        int h = 3;
        int len = tokens.length;
        double[][] x = new double[len][];
        for (int t = 0; t < len; t++) {
            x[t] = java.util.Arrays.copyOfRange(w.get("embedding.weight"), tokens[t] * h, tokens[t] * h + h);
        }
        double[][] y = new double[len][];
        y[0] = matVec(w.get("blocks.0.LCDE.init_layer.weight"), h, h, x[0], w.get("blocks.0.LCDE.init_layer.bias"));
        double[] wa = w.get("blocks.0.LCDE.vf_A");
        for (int i = 1; i < len; i++) {
            double[] u = {DT, DT * x[i][0], DT * x[i][1], DT * x[i][2]};   // u_i = dt·[1, X_i]
            y[i] = new double[h];
            for (int j = 0; j < h; j++) {
                double a = 0;                                               // a = uᵀ W_a
                for (int c = 0; c < 4; c++) {
                    a += u[c] * wa[c * h + j];
                }
                double s = a * y[i - 1][j];                                 // s = a ⊙ y
                y[i][j] = y[i - 1][j] + CLIP * Math.tanh(s / CLIP);
            }
        }
        double[][] logits = new double[len][];
        for (int t = 0; t < len; t++) {
            double[] z = new double[h];
            for (int j = 0; j < h; j++) {
                z[j] = y[t][j] + x[t][j];                                   // Z = LCDE(X) + X
            }
            double[] lin = matVec(w.get("blocks.0.linear.weight"), h, h, z, w.get("blocks.0.linear.bias"));
            for (int j = 0; j < h; j++) {
                z[j] += Math.tanh(lin[j]);                                  // Z = Z + tanh(Lin(Z))
            }
            double mean = (z[0] + z[1] + z[2]) / 3;
            double var = 0;
            for (int j = 0; j < h; j++) {
                var += (z[j] - mean) * (z[j] - mean) / 3;                    // biased variance
            }
            double[] n = new double[h];
            for (int j = 0; j < h; j++) {
                n[j] = (z[j] - mean) / Math.sqrt(var + 1e-5) * w.get("blocks.0.norm.weight")[j]
                        + w.get("blocks.0.norm.bias")[j];
            }
            logits[t] = matVec(w.get("linear.weight"), 2, h, n, w.get("linear.bias"));
        }
        return logits;
    }

    private Path tinyWeightsFile(Map<String, double[]> w) throws IOException {
        int[][] shapes = {{3, 3}, {3, 3}, {3}, {4, 3}, {3, 3}, {3}, {3}, {3}, {2, 3}, {2}};
        String[] names = {"embedding.weight", "blocks.0.LCDE.init_layer.weight", "blocks.0.LCDE.init_layer.bias",
            "blocks.0.LCDE.vf_A", "blocks.0.linear.weight", "blocks.0.linear.bias", "blocks.0.norm.weight",
            "blocks.0.norm.bias", "linear.weight", "linear.bias"};
        ParameterSet p = new ParameterSet();
        for (int i = 0; i < names.length; i++) {
            p.put(names[i], HostTensor.of(w.get(names[i]), shapes[i]));
        }
        Path f = dir.resolve("tiny.safetensors");
        Safetensors.write(f, p, ElementType.FLOAT64);
        return f;
    }

    @Test
    void tinyDiagonalModelGivesTheHandComputedLogits() throws IOException {
        Path cfg = config(StructureSpec.of("diagonal"), 3, 1);
        int[] tokens = {1, 2, 0, 2};
        Path out = dir.resolve("tiny.json");
        Cli.Result r = Cli.run(new EvalCommand(), "eval", "--config", cfg.toString(), "--weights",
                tinyWeightsFile(tinyWeights(true)).toString(), "--input", input("{\"input\": [[1, 2, 0, 2]]}").toString(),
                "--output", out.toString(), "--backend", "reference");
        assertThat(r.code()).as(r.err()).isZero();
        double[] got = logits(out);
        double[][] expected = handLogits(tinyWeights(true), tokens);
        double[][] withoutField = handLogits(tinyWeights(false), tokens);
        double sensitivity = 0;
        for (int t = 0; t < tokens.length; t++) {
            for (int k = 0; k < 2; k++) {
                assertThat(got[t * 2 + k]).as("logit [0][%d][%d]", t, k).isCloseTo(expected[t][k], within(1e-12));
                sensitivity = Math.max(sensitivity, Math.abs(expected[t][k] - withoutField[t][k]));
            }
        }
        // the vector field matters at this size: a wrong A(u) could not pass within 1e-12
        assertThat(sensitivity).isGreaterThan(1e-3);
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void badInputIsRefusedNamingFileAndPosition() throws IOException {
        Path cfg = config(StructureSpec.of("diagonal"), 3, 1);
        Path w = tinyWeightsFile(tinyWeights(true));
        Path out = dir.resolve("never.json");
        Cli.Result r = Cli.run(new EvalCommand(), "eval", "--config", cfg.toString(), "--weights", w.toString(),
                "--input", input("{\"input\": [[1, 2], [0, 3, 1]]}").toString(), "--output", out.toString(),
                "--backend", "reference");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("input[1][1] = 3 is outside the vocabulary [0, 3)");
        r = Cli.run(new EvalCommand(), "eval", "--config", cfg.toString(), "--weights", w.toString(),
                "--input", input("{\"input\": [[1]]}").toString(), "--output", out.toString(), "--backend", "reference");
        assertThat(r.err()).contains("at least 2");
        r = Cli.run(new EvalCommand(), "eval", "--config", cfg.toString(), "--weights", w.toString(),
                "--input", input("{\"inputs\": [[1, 2]]}").toString(), "--output", out.toString(), "--backend", "reference");
        assertThat(r.err()).contains("expected an object {\"input\"");
        r = Cli.run(new EvalCommand(), "eval", "--config", cfg.toString(), "--weights", w.toString(),
                "--input", input("{\"input\": [[1, 2.5]]}").toString(), "--output", out.toString(), "--backend", "reference");
        assertThat(r.err()).contains("input[0][1] = 2.5 is not a token id");
        // weights of another size: the key and both shapes are named
        Path cfg4 = config(StructureSpec.of("diagonal"), 4, 1);
        r = Cli.run(new EvalCommand(), "eval", "--config", cfg4.toString(), "--weights", w.toString(),
                "--input", input("{\"input\": [[1, 2]]}").toString(), "--output", out.toString(), "--backend", "reference");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("tiny.safetensors: key 'embedding.weight' has shape [3, 3], the model needs [3, 4]");
        // a weight missing from the file: named with the shape it should have
        ParameterSet partial = Safetensors.read(w);
        ParameterSet without = new ParameterSet();
        for (ParameterSet.Entry e : partial.entries()) {
            if (!e.name().equals("blocks.0.norm.bias")) {
                without.put(e.name(), e.tensor(), e.role());
            }
        }
        Path missing = dir.resolve("missing.safetensors");
        Safetensors.write(missing, without, ElementType.FLOAT64);
        r = Cli.run(new EvalCommand(), "eval", "--config", cfg.toString(), "--weights", missing.toString(),
                "--input", input("{\"input\": [[1, 2]]}").toString(), "--output", out.toString(), "--backend", "reference");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("missing.safetensors: missing key 'blocks.0.norm.bias' (shape [3])");
        // non-finite weights: refused before anything is written
        ParameterSet nan = partial.copy();
        nan.get("linear.bias").data()[0] = Double.NaN;
        Path bad = dir.resolve("nan.safetensors");
        Safetensors.write(bad, nan, ElementType.FLOAT64);
        r = Cli.run(new EvalCommand(), "eval", "--config", cfg.toString(), "--weights", bad.toString(),
                "--input", input("{\"input\": [[1, 2]]}").toString(), "--output", out.toString(), "--backend", "reference");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("logit [0][0][0] is NaN").contains("not written");
        assertThat(out).doesNotExist();
    }
}
