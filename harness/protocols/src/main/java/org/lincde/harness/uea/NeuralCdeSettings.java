package org.lincde.harness.uea;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.lincde.spi.InvalidOptionException;

/**
 * One dataset's R3 settings for NCDE, NRDE or Log-NCDE ({@code experiment_configs/repeats/<model>/<dataset>.json}):
 * {@code time, lr, hidden_dim, vf_depth, vf_width, dt0, scale} and, for NRDE / Log-NCDE, {@code depth} and
 * {@code stepsize} (NCDE: 1 and 1, as {@code run_experiment.py} sets them), for Log-NCDE {@code lambd} (else 0).
 * R3's neural-CDE configs evaluate every {@code print_steps = 100} steps (the linear NCDEs' every 1000):
 * {@code printSteps} carries it (empty: the dataset's common period).
 *
 * @param includeTime  prepend the time channel ({@code time})
 * @param learningRate Adam's constant rate ({@code lr})
 * @param hidden       h ({@code hidden_dim})
 * @param vfDepth      {@code vf_depth}
 * @param vfWidth      {@code vf_width}
 * @param dt0          Heun's constant step ({@code dt0})
 * @param scale        the MLP's init divisor ({@code scale})
 * @param depth        log-signature depth ({@code depth})
 * @param stepsize     log-signature interval stepsize ({@code stepsize})
 * @param lambda       the Lip(2) weight ({@code lambd}; Log-NCDE only)
 * @param printSteps   evaluation period ({@code print_steps}); empty: the dataset's
 */
public record NeuralCdeSettings(boolean includeTime, double learningRate, int hidden, int vfDepth, int vfWidth,
                                double dt0, double scale, int depth, int stepsize, double lambda,
                                OptionalLong printSteps) {
    /** R3's {@code print_steps} in every neural-CDE config. */
    public static final long R3_PRINT_STEPS = 100;

    /** Validates ranges, naming R3's config keys. */
    public NeuralCdeSettings {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new InvalidOptionException("lr", learningRate, "must be finite and > 0");
        }
        if (hidden < 1) {
            throw new InvalidOptionException("hidden_dim", hidden, "must be > 0");
        }
        if (vfDepth < 1) {
            throw new InvalidOptionException("vf_depth", vfDepth, "must be > 0");
        }
        if (vfWidth < 1) {
            throw new InvalidOptionException("vf_width", vfWidth, "must be > 0");
        }
        if (!(dt0 > 0) || Double.isInfinite(dt0)) {
            throw new InvalidOptionException("dt0", dt0, "Heun's constant step must be finite and > 0");
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new InvalidOptionException("scale", scale, "must be finite and > 0");
        }
        if (depth < 1 || depth > 2) {
            throw new InvalidOptionException("depth", depth, "the log-signature depth (logsig_depth) must be 1 or 2");
        }
        if (stepsize < 1) {
            throw new InvalidOptionException("stepsize", stepsize, "must be >= 1");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new InvalidOptionException("lambd", lambda, "must be finite and >= 0");
        }
        if (printSteps.isPresent() && printSteps.getAsLong() < 1) {
            throw new InvalidOptionException("print_steps", printSteps.getAsLong(), "must be >= 1");
        }
    }

    /** NCDE: {@code time, lr, hidden_dim, vf_depth, vf_width, dt0} (scale 1 in every R3 config). */
    public static NeuralCdeSettings ncde(boolean time, double lr, int hidden, int vfDepth, int vfWidth, double dt0) {
        return new NeuralCdeSettings(time, lr, hidden, vfDepth, vfWidth, dt0, 1.0, 1, 1, 0.0,
                OptionalLong.of(R3_PRINT_STEPS));
    }

    /** NRDE: {@code time, lr, hidden_dim, vf_depth, vf_width, dt0, depth, stepsize} (scale 1). */
    public static NeuralCdeSettings nrde(boolean time, double lr, int hidden, int vfDepth, int vfWidth, double dt0,
                                         int depth, int stepsize) {
        return new NeuralCdeSettings(time, lr, hidden, vfDepth, vfWidth, dt0, 1.0, depth, stepsize, 0.0,
                OptionalLong.of(R3_PRINT_STEPS));
    }

    /** Log-NCDE: {@code time, lr, hidden_dim, vf_depth, vf_width, dt0, depth, stepsize, lambd} (scale 1000). */
    public static NeuralCdeSettings logNcde(boolean time, double lr, int hidden, int vfDepth, int vfWidth, double dt0,
                                           int depth, int stepsize, double lambda) {
        return new NeuralCdeSettings(time, lr, hidden, vfDepth, vfWidth, dt0, 1000.0, depth, stepsize, lambda,
                OptionalLong.of(R3_PRINT_STEPS));
    }

    /** A copy with other sizes and step (the smoke and quick profiles). */
    public NeuralCdeSettings withSizes(int h, int vfDepth, int vfWidth, double dt0) {
        return new NeuralCdeSettings(includeTime, learningRate, h, vfDepth, vfWidth, dt0, scale, depth, stepsize, lambda,
                printSteps);
    }

    /** A copy with its own evaluation period. */
    public NeuralCdeSettings withPrintSteps(long print) {
        return new NeuralCdeSettings(includeTime, learningRate, hidden, vfDepth, vfWidth, dt0, scale, depth, stepsize,
                lambda, OptionalLong.of(print));
    }

    /** A copy that evaluates with the dataset's common period (the profiles that set one for every model). */
    public NeuralCdeSettings withDatasetPrintSteps() {
        return new NeuralCdeSettings(includeTime, learningRate, hidden, vfDepth, vfWidth, dt0, scale, depth, stepsize,
                lambda, OptionalLong.empty());
    }

    /** A copy with another log-signature stepsize. */
    public NeuralCdeSettings withStepsize(int s) {
        return new NeuralCdeSettings(includeTime, learningRate, hidden, vfDepth, vfWidth, dt0, scale, depth, s, lambda,
                printSteps);
    }

    /** The values as R3's config keys (for the run key), the log-signature ones where {@code model} reads them. */
    public Map<String, Object> asConfig(NeuralCdeModel model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", includeTime);
        m.put("lr", learningRate);
        m.put("hidden_dim", hidden);
        m.put("vf_depth", vfDepth);
        m.put("vf_width", vfWidth);
        m.put("dt0", dt0);
        m.put("scale", scale);
        if (model != NeuralCdeModel.NCDE) {
            m.put("depth", depth);
            m.put("stepsize", stepsize);
        }
        if (model == NeuralCdeModel.LOG_NCDE) {
            m.put("lambd", lambda);
        }
        return m;
    }
}
