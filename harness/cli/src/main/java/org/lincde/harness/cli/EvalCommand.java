package org.lincde.harness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.lincde.harness.config.R1Config;
import org.lincde.harness.io.AtomicFiles;
import org.lincde.harness.io.R1StateDict;
import org.lincde.harness.io.Safetensors;
import org.lincde.harness.run.ModelSpecs;
import org.lincde.spi.Backend;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.model.Models;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lincde eval}: per-token logits of a model given by an R1 config and a safetensors file with the
 * authors' state-dict keys (weight interop with the SLiCE code base: {@code embedding.weight},
 * {@code blocks.0.LCDE.vf_A}, {@code blocks.0.LCDE.vf_A.weight} + {@code blocks.0.LCDE.mask} for
 * dense/sparse, {@code vf_A_u}/{@code vf_A_v}, {@code blocks.0.LCDE.init_layer.*},
 * {@code blocks.0.linear.*}, {@code blocks.0.norm.*}, {@code linear.*}), exactly as R1's {@code StackedLCDE}
 * writes them: the {@code mask} buffer R1 registers for every structure is read and checked
 * ({@link R1StateDict}). The config needs only the model's keys (training-only keys may be absent).
 *
 * <p>The vocabulary {@code V} and the number of classes {@code K} are read from the weights' shapes
 * ({@code embedding.weight} is {@code V×h}, {@code linear.weight} is {@code K×h}), so any task's weights
 * load without generating its data; every other shape must match the config (errors name the key). Eval
 * mode: no dropout, recurrent evaluation. The output {@code {"logits": B×L×K, "lengths": [...]}} is
 * written atomically.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Per-token logits of an R1-config model loaded from safetensors weights (authors' state-dict",
            "keys). V and K come from the weights (embedding.weight V×h, linear.weight K×h). Input JSON:",
            "{\"input\": [[ids...], ...]} (ragged sequences are padded at the end with token 0);",
            "output JSON {\"logits\": B×L×K, \"lengths\": [...]}, written atomically. No dropout.",
            "A state dict of the authors' StackedLCDE loads as written (its 'mask' buffers are checked against",
            "the config); the config needs only the model's keys (batch_size, num_steps, ... may be absent)."})
final class EvalCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "C.json", description = "R1-format JSON config.")
    Path config;

    @Option(names = "--weights", required = true, paramLabel = "W.safetensors", description = "Model weights.")
    Path weights;

    @Option(names = "--input", required = true, paramLabel = "I.json", description = "Token ids to evaluate.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "O.json", description = "Where the logits go.")
    Path output;

    @CommandLine.Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        R1Config c = R1Config.readModel(config);
        ParameterSet loaded;
        try {
            loaded = Safetensors.read(weights);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("weights file not found: " + weights);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + weights, e);
        }
        ModelSpec modelSpec = ModelSpecs.fromR1(c, rows(loaded, "embedding.weight", "the vocabulary V"),
                rows(loaded, "linear.weight", "the number of classes K"));
        ConfigChecks.structureOptions(c, StructureRegistry.discover());
        org.lincde.harness.run.SizeBudget.check(c.source(), modelSpec, StructureRegistry.discover(), c.modelDim(),
                c.numBlocks(), 1, 1);
        // shapes and roles only: the values are replaced by the file's
        ParameterSet declared = Models.initialize(modelSpec, StructureRegistry.discover(), Rng.seeded(0));
        ParameterSet params = R1StateDict.conform(weights.toString(), loaded, declared, modelSpec);
        int perStep = modelSpec instanceof LinearCdeSpec l && l.secondEmbedding() ? 2 : 1;
        EvalInput in = EvalInput.read(input, modelSpec instanceof LinearCdeSpec l ? l.vocabSize() : Integer.MAX_VALUE,
                perStep);
        Backend b = backendOptions.backend(BackendRegistry.discover());
        DType dt = backendOptions.dtype(b, c.dtype());
        HostTensor logits;
        try (Session s = b.open(backendOptions.sessionOptions(dt));
             SequenceModel m = s.model(modelSpec, params)) {
            logits = m.forward(in.batch(), ForwardMode.inference());
        }
        write(output, logits, in.lengths());
        out.printf("%s: logits %s for %d sequence(s) (%s, backend %s, %s) -> %s%n", config,
                Arrays.toString(logits.shape()), in.lengths().length, c.structure(), b.id(), dt.label(), output);
        return 0;
    }

    /** The first dimension of {@code key}'s tensor, which sizes {@code what}. */
    private int rows(ParameterSet loaded, String key, String what) {
        if (!loaded.contains(key)) {
            throw new IllegalArgumentException(weights + ": missing key '" + key + "' (its shape gives "
                    + what + ")");
        }
        HostTensor t = loaded.get(key);
        if (t.rank() != 2) {
            throw new IllegalArgumentException(weights + ": key '" + key + "' has shape "
                    + Arrays.toString(t.shape()) + ", expected a matrix");
        }
        return t.dim(0);
    }

    /** {@code {"logits": B×L×K, "lengths": [...]}}, atomically; non-finite logits are an error, nothing written. */
    static void write(Path file, HostTensor logits, int[] lengths) {
        int[] s = logits.shape();
        if (s.length != 3) {
            throw new IllegalStateException("expected per-token logits (B, L, K), got " + Arrays.toString(s));
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode batch = root.putArray("logits");
        double[] v = logits.data();
        for (int b = 0; b < s[0]; b++) {
            ArrayNode seq = batch.addArray();
            for (int t = 0; t < s[1]; t++) {
                ArrayNode row = seq.addArray();
                for (int k = 0; k < s[2]; k++) {
                    double x = v[(b * s[1] + t) * s[2] + k];
                    if (!Double.isFinite(x)) {
                        throw new IllegalArgumentException("logit [" + b + "][" + t + "][" + k + "] is " + x
                                + ": the weights give non-finite outputs; " + file + " not written");
                    }
                    row.add(x);
                }
            }
        }
        ArrayNode lens = root.putArray("lengths");
        for (int l : lengths) {
            lens.add(l);
        }
        try {
            AtomicFiles.writeString(file, JSON.writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
