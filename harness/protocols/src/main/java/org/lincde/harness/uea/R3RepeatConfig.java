package org.lincde.harness.uea;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.lincde.harness.config.ConfigException;
import org.lincde.harness.data.uea.UeaDataset;
import org.lincde.spi.InvalidOptionException;

/**
 * One of R3's unmodified UEA configs, {@code experiment_configs/repeats/<model>/<dataset>.json}, read as R3's
 * {@code run_experiment.py} reads it: the model is the config's folder ({@code run_experiment.py} opens
 * {@code <folder>/<model_name>/<dataset_name>.json}; the file's own {@code model_name} is not used, and the
 * linear NCDEs' files say {@code linear_ncde}), the dataset its {@code dataset_name} (else the file name); values
 * may be JSON numbers or strings (R3 converts with {@code int(…)}, {@code float(…)}, {@code int(float(…))}), and
 * {@code time} is the string {@code "True"}/{@code "False"}. Every key R3 reads for the model must be present;
 * a missing or bad value is one {@link ConfigException} naming the file and the key. Keys R3's configs do not use
 * are errors too (a typo would otherwise be ignored silently).
 *
 * <p>Supported as R3 runs them: {@code metric = "accuracy"}, {@code use_presplit = false}, {@code T = 1},
 * {@code lr_scheduler = "lambda lr: lr"} (a constant rate); anything else is refused with the reason.
 *
 * @param source     the file
 * @param model      the model (the config's folder)
 * @param experiment the dataset's settings for that model
 * @param seeds      R3's {@code seeds}
 */
public record R3RepeatConfig(Path source, UeaModel model, UeaExperiment experiment, List<Long> seeds) {

    /** Every key R3's repeat configs use (any model). */
    static final Set<String> KNOWN_KEYS = Set.of("seeds", "data_dir", "output_parent_dir", "lr_scheduler",
            "num_steps", "print_steps", "early_stopping_steps", "batch_size", "model_name", "metric", "classification",
            "dataset_name", "use_presplit", "T", "dt0", "scale", "lr", "time", "hidden_dim", "vf_depth", "vf_width",
            "depth", "stepsize", "lambd", "block_size", "parallel_steps", "walsh_hadamard", "diagonal_dense",
            "sparsity", "rank", "ssm_dim", "num_blocks", "ssm_blocks", "convdim", "expansion", "output_step");

    /** Defensive copy. */
    public R3RepeatConfig {
        seeds = List.copyOf(seeds);
    }

    /** The config files under {@code path}: the file itself, or every {@code *.json} below a folder, sorted. */
    public static List<Path> files(Path path) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new ConfigException(path + ": no such R3 config file or folder");
        }
        try (var s = Files.walk(path)) {
            List<Path> out = s.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(".json")).sorted().toList();
            if (out.isEmpty()) {
                throw new ConfigException(path + ": no .json config below this folder");
            }
            return out;
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot list: " + e.getMessage(), e);
        }
    }

    /** Reads and validates one R3 repeat config. */
    public static R3RepeatConfig read(Path file) {
        JsonNode root = org.lincde.harness.io.StrictText.json(file.toString(),
                org.lincde.harness.io.StrictText.read(file, "config"));
        if (root == null || !root.isObject()) {
            throw new ConfigException(file + ": expected a JSON object");
        }
        Reader r = new Reader(file, root);
        Set<String> unknown = new TreeSet<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KNOWN_KEYS.contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException(file + ": unknown key(s) " + unknown + " (R3's repeat configs use " + new TreeSet<>(
                    KNOWN_KEYS) + ")");
        }
        UeaModel model = model(file, root);
        String dataset = root.hasNonNull("dataset_name") ? r.string("dataset_name")
                : file.getFileName().toString().replaceFirst("\\.json$", "");
        List<Long> seeds = r.seeds();
        r.string("data_dir"); // R3's data folder: lincde finds the data itself (lincde datasets fetch uea)
        r.string("output_parent_dir");
        String scheduler = r.string("lr_scheduler").replace(" ", "");
        if (!scheduler.equals("lambdalr:lr")) {
            throw new ConfigException(file + ": key 'lr_scheduler' = \"" + r.string("lr_scheduler")
                    + "\": lincde runs R3's constant rate (\"lambda lr: lr\") only");
        }
        long numSteps = r.integer("num_steps");
        long printSteps = r.integer("print_steps");
        int patience = r.intValue("early_stopping_steps");
        int batch = r.intValue("batch_size");
        String metric = r.string("metric");
        if (!metric.equals("accuracy")) {
            throw new ConfigException(file + ": key 'metric' = \"" + metric + "\": the UEA table is classification "
                    + "(\"accuracy\"); regression (\"mse\", R3's PPG) is not implemented");
        }
        if (r.bool("use_presplit")) {
            throw new ConfigException(file + ": key 'use_presplit' = true: lincde runs R3's seeded 70/15/15 split "
                    + "(use_presplit false, as every UEA config)");
        }
        double horizon = r.real("T");
        if (horizon != UeaDataset.TIME_HORIZON) {
            throw new ConfigException(file + ": key 'T' = " + horizon + ": lincde's UEA pipeline has T = 1 (every R3 "
                    + "UEA config)");
        }
        double scale = r.real("scale");
        double lr = r.real("lr");
        boolean time = r.pythonBool("time");
        int hidden = r.intValue("hidden_dim");
        UeaExperiment e;
        try {
            if (model instanceof NeuralCdeModel n) {
                // run_experiment.py: dt0 = float(data["dt0"]); vf_depth, vf_width = int(…); depth, stepsize for
                // nrde/log_ncde (int(float(stepsize))), else 1 and 1; lambd for log_ncde
                double dt0 = r.real("dt0");
                int vfDepth = r.intValue("vf_depth");
                int vfWidth = r.intValue("vf_width");
                int depth = n == NeuralCdeModel.NCDE ? 1 : r.intValue("depth");
                int stepsize = n == NeuralCdeModel.NCDE ? 1 : (int) r.real("stepsize");
                double lambd = n == NeuralCdeModel.LOG_NCDE ? r.real("lambd") : 0.0;
                NeuralCdeSettings s = new NeuralCdeSettings(time, lr, hidden, vfDepth, vfWidth, dt0, scale, depth,
                        stepsize, lambd, OptionalLong.of(printSteps));
                e = new UeaExperiment(dataset, time, lr, hidden, lambd, stepsize, depth, numSteps, printSteps, patience,
                        batch, 128, Map.of(), Map.of(n, s));
            } else if (model instanceof LinearNcdeVariant) {
                int stepsize = (int) r.real("stepsize");
                int depth = r.intValue("depth");
                double lambd = r.real("lambd");
                r.integer("block_size");
                int parallel = root.hasNonNull("parallel_steps") ? r.intValue("parallel_steps") : 1;
                e = new UeaExperiment(dataset, time, lr, hidden, lambd, stepsize, depth, numSteps, printSteps, patience,
                        batch, parallel);
            } else {
                R3Baseline b = (R3Baseline) model;
                int blocks = r.intValue("num_blocks");
                int ssm = r.intValue("ssm_dim");
                SsmSettings s = switch (b) {
                    case S5 -> SsmSettings.s5(lr, time, blocks, hidden, ssm, r.intValue("ssm_blocks"));
                    case MAMBA -> SsmSettings.mamba(lr, time, blocks, hidden, ssm, r.intValue("convdim"),
                            r.intValue("expansion"));
                    default -> SsmSettings.of(lr, time, blocks, hidden, ssm);
                };
                e = new UeaExperiment(dataset, time, lr, hidden, 0.0, 1, 1, numSteps, printSteps, patience, batch, 128,
                        Map.of(b, s));
            }
        } catch (InvalidOptionException ex) {
            // lincde's option names → the file's keys (R3 calls the log-signature depth 'depth' in its configs)
            String key = switch (ex.option()) {
                case "logsig_depth" -> "depth";
                case "batch_size/parallel_steps" -> batch < 1 ? "batch_size" : "parallel_steps";
                case "num_steps/print_steps" -> numSteps < 1 ? "num_steps" : "print_steps";
                default -> ex.option();
            };
            throw new ConfigException(file + ": key '" + key + "' = " + (key.equals(ex.option()) ? ex.value()
                    : root.get(key)) + ": " + ex.getMessage().replaceFirst("^invalid [^:]*: ", ""), ex);
        }
        return new R3RepeatConfig(file, model, e, seeds);
    }

    /** The model: the config's folder name (R3's), else its {@code model_name}. */
    private static UeaModel model(Path file, JsonNode root) {
        Path parent = file.toAbsolutePath().getParent();
        String folder = parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
        try {
            return UeaModel.parse(folder);
        } catch (IllegalArgumentException e) {
            String name = root.hasNonNull("model_name") ? root.get("model_name").asText() : "";
            try {
                return UeaModel.parse(name);
            } catch (IllegalArgumentException e2) {
                throw new ConfigException(file + ": neither the folder '" + folder + "' nor key 'model_name' = '" + name
                        + "' names an R3 UEA model (R3 reads the model from the folder: " + UeaModel.all().stream()
                        .map(UeaModel::modelName).toList() + ")");
            }
        }
    }

    /** R3's lenient value reading, with errors naming the file and the key. */
    private record Reader(Path file, JsonNode root) {
        private JsonNode get(String key) {
            JsonNode v = root.get(key);
            if (v == null || v.isNull()) {
                throw new ConfigException(file + ": key '" + key + "' is missing (R3's run_experiment.py reads it for "
                        + "this model)");
            }
            return v;
        }

        private ConfigException bad(String key, JsonNode v, String expected) {
            return new ConfigException(file + ": key '" + key + "' = " + v + ": expected " + expected);
        }

        String string(String key) {
            JsonNode v = get(key);
            if (!v.isTextual()) {
                throw bad(key, v, "a string");
            }
            return v.asText();
        }

        /** {@code float(v)}: a number or a numeric string. */
        double real(String key) {
            JsonNode v = get(key);
            if (v.isNumber()) {
                return v.asDouble();
            }
            if (v.isTextual()) {
                try {
                    return Double.parseDouble(v.asText().trim());
                } catch (NumberFormatException e) {
                    throw bad(key, v, "a number");
                }
            }
            throw bad(key, v, "a number");
        }

        /** {@code int(v)}: an integral number or an integer string. */
        /** An integer key that must fit in an int (sizes, counts): out of range names the file and key. */
        int intValue(String key) {
            long l = integer(key);
            if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw bad(key, get(key), "an integer below 2^31");
            }
            return (int) l;
        }

        long integer(String key) {
            JsonNode v = get(key);
            if (v.isIntegralNumber()) {
                if (!v.canConvertToLong()) {
                    throw bad(key, v, "an integer below 2^63");
                }
                return v.asLong();
            }
            if (v.isTextual()) {
                try {
                    return Long.parseLong(v.asText().trim());
                } catch (NumberFormatException e) {
                    throw bad(key, v, "an integer");
                }
            }
            if (v.isNumber() && v.asDouble() == Math.rint(v.asDouble())) {
                return (long) v.asDouble();
            }
            throw bad(key, v, "an integer");
        }

        boolean bool(String key) {
            JsonNode v = get(key);
            if (!v.isBoolean()) {
                throw bad(key, v, "true or false");
            }
            return v.asBoolean();
        }

        /** R3's {@code data["time"].lower() == "true"} (a JSON boolean is accepted too). */
        boolean pythonBool(String key) {
            JsonNode v = get(key);
            if (v.isBoolean()) {
                return v.asBoolean();
            }
            String s = v.isTextual() ? v.asText().trim().toLowerCase(Locale.ROOT) : "";
            if (s.equals("true") || s.equals("false")) {
                return s.equals("true");
            }
            throw bad(key, v, "\"True\" or \"False\"");
        }

        List<Long> seeds() {
            JsonNode v = get("seeds");
            if (!v.isArray() || v.isEmpty()) {
                throw bad("seeds", v, "a non-empty list of integers");
            }
            List<Long> out = new ArrayList<>();
            for (JsonNode s : v) {
                if (!s.isIntegralNumber()) {
                    throw bad("seeds", v, "a non-empty list of integers");
                }
                out.add(s.asLong());
            }
            return out;
        }
    }
}
