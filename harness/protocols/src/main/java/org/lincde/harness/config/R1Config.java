package org.lincde.harness.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.lincde.spi.StructureSpec;

/**
 * An experiment config in the format of the SLiCE code base (R1 {@code experiment_configs/*.json}),
 * read strictly: the authors' files run unmodified, unknown keys and wrong types are errors naming
 * file and key. Missing keys take R1's defaults (SPEC §4.1): {@code diagonal=false, fwht=false,
 * use_glu=false, second_embedding=false, gated=true, early_stop_threshold=1.0, init_std=1.0,
 * block_size=1, sparsity=1.0, dropout_rate=0.01, vf_A_norm_lambda=0.001, rank=0, slstm_at=[1],
 * seed=1234}.
 *
 * <p>lincde extensions (optional, documented in the README): {@code structure} and
 * {@code structure_options} name any structure id, plugins included (overriding the R1 flags);
 * {@code length} (A5 length N), {@code a5_size}, {@code runs} (repeats, R1: 5),
 * {@code validation_samples}, {@code train_lengths}/{@code validation_lengths} ([min, max]),
 * {@code train_padding}, {@code dtype}, {@code training_loop}, {@code fla_dtype} ({@code bfloat16} emulates R1's
 * bfloat16 fla layers, [QUIRK]; {@code fla_bfloat16: true} says the same), {@code fla_num_heads}, {@code fla_head_dim}.
 *
 * @param source               where the config came from (for messages)
 * @param task                 task name ({@code cycle_nav}, {@code A5}, …)
 * @param modelName            {@code lcde} or a baseline's {@code model_name}
 * @param numBlocks            {@code num_blocks}
 * @param modelDim             {@code model_dim}
 * @param batchSize            {@code batch_size}
 * @param numSteps             {@code num_steps} (the loop runs steps 0 … num_steps−1)
 * @param printSteps           {@code print_steps}: evaluate when {@code step % print_steps == 0}
 * @param learningRate         {@code learning_rate} (peak of the warm-up + cosine schedule)
 * @param earlyStopThreshold   stop when validation accuracy exceeds this (strict)
 * @param structure            the vector field's structure, resolved from the flags (SPEC §1.1)
 * @param useGlu               {@code use_glu}
 * @param secondEmbedding      {@code second_embedding}
 * @param initStd              {@code init_std}
 * @param dropoutRate          {@code dropout_rate}
 * @param vfANormLambda        {@code vf_A_norm_lambda}
 * @param seed                 {@code seed} (run r uses seed + r)
 * @param gated                {@code gated} (Gated DeltaProduct; kept for fidelity)
 * @param slstmAt              {@code slstm_at}: the xLSTM's sLSTM block positions ({@code "all"} read as every block)
 * @param length               A5 sequence length N (0 when not an A5 task)
 * @param a5Size               A5 distinct sequences for N ≥ 4
 * @param runs                 repeats (seeds seed … seed + runs − 1)
 * @param validationSamples    formal-language validation samples
 * @param trainLengths         formal-language training lengths [min, max]
 * @param validationLengths    formal-language validation lengths [min, max]
 * @param trainPadding         training padding; empty: R1's rule (40 for lcde and 256 otherwise)
 * @param dtype                {@code float32} or {@code float64} (null: the backend's default)
 * @param ignoredKeys          keys accepted for fidelity but without effect, with the reason
 * @param trainingLoop         {@code r1} (R1's loop: update then evaluate, num_steps + 2 updates; [QUIRK]) or
 *                             {@code evaluate_first} (lincde's: evaluate then update, num_steps updates and a
 *                             final evaluation); lincde key {@code training_loop}
 * @param flaBf16              {@code fla_bfloat16}: round the fla layers (RWKV-6/7) to bfloat16 where R1's
 *                             {@code .bfloat16()} layers store bfloat16 tensors ([QUIRK]; default false: float32)
 * @param rank                 {@code rank} as given (DPLR rank for {@code lcde}; {@code num_householder} for
 *                             {@code deltaproduct}); R1's default 0
 * @param fla                  lincde's options for the fla layers ({@code fla_dtype} or {@code fla_bfloat16}, {@code fla_num_heads},
 *                             {@code fla_head_dim})
 */
public record R1Config(String source, String task, String modelName, int numBlocks, int modelDim, int batchSize,
                       long numSteps, int printSteps, double learningRate, double earlyStopThreshold,
                       StructureSpec structure, boolean useGlu, boolean secondEmbedding, double initStd,
                       double dropoutRate, double vfANormLambda, long seed, boolean gated, List<Integer> slstmAt,
                       int length, int a5Size, int runs, int validationSamples, int[] trainLengths,
                       int[] validationLengths, OptionalInt trainPadding, String dtype, Map<String, String> ignoredKeys,
                       String trainingLoop, int rank, FlaOptions fla) {

    /** The values of the lincde key {@code training_loop}. */
    public static final List<String> TRAINING_LOOPS = List.of("r1", "evaluate_first");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The most optimiser steps a config may ask for: R1's longest run takes 10^6; 10^10 would already take years
     * at a microsecond per step.
     */
    public static final long MAX_STEPS = 10_000_000_000L;

    /** Keys of the authors' format we accept (everything else is an error). */
    static final Set<String> KNOWN_KEYS = Set.of("task", "model_name", "model", "num_blocks", "model_dim", "batch_size",
            "num_steps", "print_steps", "learning_rate", "early_stop_threshold", "early_stopping_threshold",
            "diagonal", "fwht", "block_size", "rank", "sparsity", "use_glu", "second_embedding", "init_std",
            "dropout_rate", "vf_A_norm_lambda", "seed", "gated", "slstm_at", "data_dim", "label_dim",
            "length", "structure", "structure_options", "a5_size", "runs", "validation_samples", "train_lengths",
            "validation_lengths", "train_padding", "dtype", "name", "training_loop", "dt", "fla_bfloat16", "fla_dtype",
            "fla_num_heads", "fla_head_dim");

    /** Reads and validates {@code path}. */
    public static R1Config read(Path path) {
        String text = org.lincde.harness.io.StrictText.read(path, "config");
        return parse(path.toString(), text);
    }

    /**
     * Batch size {@link #readModel} assumes when the config has no {@code batch_size}: every R1 config in the
     * authors' history but one uses 256.
     */
    public static final int MODEL_ONLY_BATCH_SIZE = 256;

    /**
     * Reads {@code path} for a command that builds the model but does not train it ({@code eval},
     * {@code bench}): the training-only keys {@code batch_size}, {@code num_steps}, {@code print_steps} and
     * {@code learning_rate} may be absent (R1 requires them, but neither command reads them). When absent,
     * {@code batch_size} is {@link #MODEL_ONLY_BATCH_SIZE}, {@code num_steps} and {@code print_steps} are 1 and
     * {@code learning_rate} is 1e−3 (placeholders, never used to train). Every other rule is that of
     * {@link #read}: unknown keys and wrong types are errors.
     */
    public static R1Config readModel(Path path) {
        String text = org.lincde.harness.io.StrictText.read(path, "config");
        return from(new JsonFields(path.toString(), tree(path.toString(), text)), true);
    }

    /**
     * A config from key/value pairs in the authors' format (validated exactly as a file would be);
     * artifacts build their grids this way.
     */
    public static R1Config fromMap(String source, Map<String, ?> values) {
        try {
            return parse(source, JSON.writeValueAsString(values));
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": cannot encode config values: " + e.getOriginalMessage());
        }
    }

    /** Parses JSON text read from {@code source}. */
    public static R1Config parse(String source, String json) {
        return from(new JsonFields(source, tree(source, json)), false);
    }

    private static JsonNode tree(String source, String json) {
        return org.lincde.harness.io.StrictText.json(source, json);
    }

    private static R1Config from(JsonFields f, boolean modelOnly) {
        String src = f.source();
        String task = f.requiredString("task");
        String model = f.has("model_name") ? f.string("model_name", "lcde") : f.string("model", "lcde");
        model = model.toLowerCase(Locale.ROOT);
        int numBlocks = positive(f, "num_blocks", f.intValue("num_blocks", null));
        int modelDim = positive(f, "model_dim", f.intValue("model_dim", null));
        int batch = positive(f, "batch_size", f.intValue("batch_size", modelOnly ? MODEL_ONLY_BATCH_SIZE : null));
        long steps = f.longValue("num_steps", modelOnly ? 1L : null);
        if (steps < 1 || steps > MAX_STEPS) {
            throw new ConfigException(src + ": key 'num_steps' must be in [1, " + MAX_STEPS + "], got " + steps
                    + (steps > MAX_STEPS ? " (more updates than any machine can take)" : ""));
        }
        int print = positive(f, "print_steps", f.intValue("print_steps", modelOnly ? 1 : null));
        double lr = f.doubleValue("learning_rate", modelOnly ? 1e-3 : null);
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new ConfigException(src + ": key 'learning_rate' must be a positive number, got " + lr);
        }
        double threshold = f.doubleValue("early_stop_threshold", 1.0);
        java.util.Map<String, String> ignored = new java.util.LinkedHashMap<>();
        if (f.has("early_stopping_threshold")) {
            f.doubleValue("early_stopping_threshold", 1.0);
            ignored.put("early_stopping_threshold",
                    "misspelt in R1's older configs and ignored by R1's trainer ([QUIRK] SPEC §4.1); use early_stop_threshold");
        }
        if (f.has("dt")) {
            f.doubleValue("dt", 0.0);
            ignored.put("dt", "in an older R1 config (slcde_snake.json at b4c523a) but never read by R1's train.py; "
                    + "the LinearCDE's own dt applies (1/40 at R1's HEAD)");
        }
        if (f.has("data_dim")) {
            f.intValue("data_dim", 0);
            ignored.put("data_dim", "taken from the task's vocabulary");
        }
        if (f.has("label_dim")) {
            f.intValue("label_dim", 0);
            ignored.put("label_dim", "taken from the task's labels");
        }
        f.string("name", null);
        StructureSpec structure = structure(f, modelDim);
        boolean glu = f.bool("use_glu", false);
        boolean second = f.bool("second_embedding", false);
        double initStd = f.doubleValue("init_std", 1.0);
        double dropout = f.doubleValue("dropout_rate", 0.01);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new ConfigException(src + ": key 'dropout_rate' must be in [0, 1), got " + dropout);
        }
        double lambda = f.doubleValue("vf_A_norm_lambda", 0.001);
        if (!(lambda >= 0)) {
            throw new ConfigException(src + ": key 'vf_A_norm_lambda' must be >= 0, got " + lambda);
        }
        long seed = f.longValue("seed", 1234L);
        boolean gated = f.bool("gated", true);
        List<Integer> slstm = slstmAt(f, numBlocks);
        int length = parseA5Length(f, task);
        int a5Size = positive(f, "a5_size", f.intValue("a5_size", 1_000_000));
        int runs = positive(f, "runs", f.intValue("runs", 5));
        int valSamples = positive(f, "validation_samples", f.intValue("validation_samples", 8192));
        int[] trainLengths = range(f, "train_lengths", new int[] {3, 40});
        int[] valLengths = range(f, "validation_lengths", new int[] {40, 256});
        OptionalInt trainPadding = f.has("train_padding")
                ? OptionalInt.of(positive(f, "train_padding", f.intValue("train_padding", null))) : OptionalInt.empty();
        String dtype = f.string("dtype", null);
        if (dtype != null) {
            try {
                org.lincde.spi.DType.parse(dtype);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(src + ": key 'dtype': " + e.getMessage());
            }
        }
        String loop = f.string("training_loop", "r1");
        if (!TRAINING_LOOPS.contains(loop)) {
            throw new ConfigException(src + ": key 'training_loop' must be one of " + TRAINING_LOOPS + ", got \""
                    + loop + "\"");
        }
        int rank = f.intValue("rank", 0);
        String flaDtype = f.string("fla_dtype", "float32");
        if (f.bool("fla_bfloat16", false)) {
            if (f.has("fla_dtype") && !flaDtype.equals("bfloat16")) {
                throw new ConfigException(src + ": keys 'fla_bfloat16' = true and 'fla_dtype' = \"" + flaDtype
                        + "\" contradict each other (give one)");
            }
            flaDtype = "bfloat16";
        }
        if (!flaDtype.equals("float32") && !flaDtype.equals("bfloat16")) {
            throw new ConfigException(src + ": key 'fla_dtype' must be \"float32\" or \"bfloat16\", got \"" + flaDtype
                    + "\"");
        }
        int flaHeads = f.intValue("fla_num_heads", 0);
        int flaHeadDim = f.intValue("fla_head_dim", 0);
        if (flaHeads < 0 || flaHeadDim < 0) {
            throw new ConfigException(src + ": key '" + (flaHeads < 0 ? "fla_num_heads" : "fla_head_dim")
                    + "' must be >= 1 (or absent: the library default), got " + Math.min(flaHeads, flaHeadDim));
        }
        f.rejectUnknown(KNOWN_KEYS);
        return new R1Config(src, task, model, numBlocks, modelDim, batch, steps, print, lr, threshold, structure, glu,
                second, initStd, dropout, lambda, seed, gated, slstm, length, a5Size, runs, valSamples, trainLengths,
                valLengths, trainPadding, dtype, ignored, loop, rank, new FlaOptions(flaDtype, flaHeads, flaHeadDim));
    }

    /**
     * SPEC §1.1 precedence: if {@code diagonal}: (rank > 0 → DPLR) else (fwht → WH) else
     * (block_size > 1 → BD) else diagonal; otherwise dense, made sparse by {@code sparsity < 1}. The
     * lincde key {@code structure} (with {@code structure_options}) overrides the flags.
     */
    private static StructureSpec structure(JsonFields f, int modelDim) {
        boolean diagonal = f.bool("diagonal", false);
        boolean fwht = f.bool("fwht", false);
        int block = f.intValue("block_size", 1);
        int rank = f.intValue("rank", 0);
        double sparsity = f.doubleValue("sparsity", 1.0);
        if (block < 1) {
            throw new ConfigException(f.source() + ": key 'block_size' must be >= 1, got " + block);
        }
        if (rank < 0) {
            throw new ConfigException(f.source() + ": key 'rank' must be >= 0, got " + rank);
        }
        if (diagonal && rank > modelDim) {
            // a low-rank term wider than the state is not low rank (R1 would build a larger-than-square factor)
            throw new ConfigException(f.source() + ": key 'rank' = " + rank + " exceeds the width model_dim = "
                    + modelDim);
        }
        if (diagonal && rank == 0 && !fwht && block > modelDim) {
            throw new ConfigException(f.source() + ": key 'block_size' = " + block + " exceeds the width model_dim = "
                    + modelDim);
        }
        if (!(sparsity > 0 && sparsity <= 1)) {
            // sparsity 0 keeps no entry of A: the vector field is identically zero and the run learns nothing
            throw new ConfigException(f.source() + ": key 'sparsity' must be in (0, 1] (the kept fraction of A), got "
                    + sparsity);
        }
        Map<String, String> options = f.stringMap("structure_options");
        if (f.has("structure")) {
            return new StructureSpec(f.string("structure", null), options);
        }
        if (!options.isEmpty()) {
            throw new ConfigException(f.source() + ": key 'structure_options' needs key 'structure'");
        }
        if (diagonal) {
            if (rank > 0) {
                return StructureSpec.of("dplr", "rank", String.valueOf(rank));
            }
            if (fwht) {
                return StructureSpec.of("walsh-hadamard");
            }
            if (block > 1) {
                return StructureSpec.of("block-diagonal", "block_size", String.valueOf(block));
            }
            return StructureSpec.of("diagonal");
        }
        if (sparsity < 1.0) {
            return StructureSpec.of("sparse", "sparsity", String.valueOf(sparsity));
        }
        return StructureSpec.of("dense");
    }

    /**
     * {@code slstm_at}: a list of block positions (R1's default {@code [1]}) or the library's {@code "all"}
     * ({@code xLSTMBlockStackConfig.__post_init__}: every block); positions are checked where the xLSTM is built.
     */
    private static List<Integer> slstmAt(JsonFields f, int numBlocks) {
        if (f.isString("slstm_at")) {
            String v = f.string("slstm_at", null);
            if (!v.equals("all")) {
                throw new ConfigException(f.source() + ": key 'slstm_at' must be a list of block positions or \"all\", "
                        + "got \"" + v + "\"");
            }
            return java.util.stream.IntStream.range(0, numBlocks).boxed().toList();
        }
        return f.intList("slstm_at", List.of(1));
    }

    private static int parseA5Length(JsonFields f, String task) {
        int fromKey = f.intValue("length", 0);
        String t = task.toUpperCase(Locale.ROOT);
        if (!t.startsWith("A5")) {
            return fromKey;
        }
        int fromName = 0;
        int sep = Math.max(t.indexOf('='), t.indexOf('-'));
        if (sep > 0) {
            try {
                fromName = Integer.parseInt(t.substring(sep + 1));
            } catch (NumberFormatException e) {
                throw new ConfigException(f.source() + ": key 'task' = \"" + task + "\": expected A5, A5=N or A5-N");
            }
            if (fromName < 2) {
                // 0 or a negative length must not fall back to the default length silently
                throw new ConfigException(f.source() + ": key 'task' = \"" + task + "\": the A5 length N must be >= 2");
            }
        } else if (t.length() > 2) {
            throw new ConfigException(f.source() + ": key 'task' = \"" + task + "\": expected A5, A5=N or A5-N");
        }
        int n = fromName > 0 ? fromName : fromKey > 0 ? fromKey : 20;
        if (n < 2) {
            throw new ConfigException(f.source() + ": A5 length must be >= 2, got " + n);
        }
        if (fromName > 0 && fromKey > 0 && fromName != fromKey) {
            throw new ConfigException(f.source() + ": key 'task' says length " + fromName + " but key 'length' says "
                    + fromKey);
        }
        return n;
    }

    private static int[] range(JsonFields f, String key, int[] def) {
        List<Integer> l = f.intList(key, null);
        if (l == null) {
            return def;
        }
        if (l.size() != 2 || l.get(0) < 1 || l.get(1) < l.get(0)) {
            throw new ConfigException(f.source() + ": key '" + key + "' must be [min, max] with 1 <= min <= max, got " + l);
        }
        return new int[] {l.get(0), l.get(1)};
    }

    private static int positive(JsonFields f, String key, int v) {
        if (v < 1) {
            throw new ConfigException(f.source() + ": key '" + key + "' must be >= 1, got " + v);
        }
        return v;
    }

    /**
     * lincde's options for R1's fla layers (docs/models/deltanet.md); R1 itself always runs the library defaults
     * in bfloat16.
     *
     * @param dtype    {@code fla_dtype}: {@code float32} (default) or {@code bfloat16}, the emulated bf16 of R1's
     *                 {@code .bfloat16()} layers ([QUIRK])
     * @param numHeads {@code fla_num_heads}: heads, 0 for the library's (DeltaNet 4, the gated layers 6)
     * @param headDim  {@code fla_head_dim}: key width per head of the gated layers, 0 for the library's 256
     */
    public record FlaOptions(String dtype, int numHeads, int headDim) {
        /** The library's defaults in float32. */
        public static final FlaOptions DEFAULT = new FlaOptions("float32", 0, 0);

        /** Whether any size differs from the library's. */
        public boolean resized() {
            return numHeads > 0 || headDim > 0;
        }
    }

    /** Whether the fla layers emulate R1's bfloat16 ({@code fla_dtype: "bfloat16"}). */
    public boolean flaBf16() {
        return fla.dtype().equals("bfloat16");
    }

    /** This config with another batch size, validation sample count and A5 size (budget overrides). */
    public R1Config withBudget(int batch, int validation, int a5) {
        return new R1Config(source, task, modelName, numBlocks, modelDim, batch, numSteps, printSteps, learningRate,
                earlyStopThreshold, structure, useGlu, secondEmbedding, initStd, dropoutRate, vfANormLambda, seed, gated,
                slstmAt, length, a5, runs, validation, trainLengths, validationLengths, trainPadding, dtype, ignoredKeys,
                trainingLoop, rank, fla);
    }

    /** This config with {@code steps} steps, evaluating every {@code print} steps. */
    public R1Config withSteps(long steps, int print) {
        return new R1Config(source, task, modelName, numBlocks, modelDim, batchSize, steps, print, learningRate,
                earlyStopThreshold, structure, useGlu, secondEmbedding, initStd, dropoutRate, vfANormLambda, seed, gated,
                slstmAt, length, a5Size, runs, validationSamples, trainLengths, validationLengths, trainPadding, dtype,
                ignoredKeys, trainingLoop, rank, fla);
    }

    /** This config with {@code blocks} stacked blocks. */
    public R1Config withNumBlocks(int blocks) {
        return new R1Config(source, task, modelName, blocks, modelDim, batchSize, numSteps, printSteps, learningRate,
                earlyStopThreshold, structure, useGlu, secondEmbedding, initStd, dropoutRate, vfANormLambda, seed, gated,
                slstmAt, length, a5Size, runs, validationSamples, trainLengths, validationLengths, trainPadding, dtype,
                ignoredKeys, trainingLoop, rank, fla);
    }

    /** Whether the task is the A5 word problem. */
    public boolean isA5() {
        return task.toUpperCase(Locale.ROOT).startsWith("A5");
    }

    /** The seed of repeat {@code run}: {@code seed + run} (R1's run_experiment.py). */
    public long runSeed(int run) {
        return seed + run;
    }
}
