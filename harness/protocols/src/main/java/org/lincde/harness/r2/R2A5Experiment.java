package org.lincde.harness.r2;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.lincde.spi.DType;

/**
 * The run plans of R2's A5 experiments (SPEC §4.2), shared by {@code lincde experiment -e A5} and the
 * {@code ssm-a5-layers} artifact so that a run made by one is found by the other when their settings
 * agree (records live under the artifact's id, keyed by the hash of the resolved config).
 *
 * <ul>
 *   <li>Linear CDE ({@code lcde_a5.yaml}): one {@link LcdeA5RunPlan} per length. R2 trains every length
 *       independently with one block, so the lengths are independent runs.</li>
 *   <li>Sequence models ({@code ssm_a5.yaml}): one {@link SsmA5SearchPlan} per model, walking all lengths
 *       with the monotonic pruning rule (the depths tried at length N depend on every shorter length).</li>
 * </ul>
 */
public final class R2A5Experiment {
    private R2A5Experiment() {}

    /** Id of the artifact (Cirone et al. 2024, Fig. 2) whose records these runs are. */
    public static final String ARTIFACT = "ssm-a5-layers";
    /** R2's data: one million distinct sequences per length N ≥ 4 (the {@code A5=N.csv} files). */
    public static final int R2_A5_SIZE = 1_000_000;
    /** R2's default seed ({@code run_experiment.py -s}, default 2345). */
    public static final long R2_SEED = 2345;
    /** Label of the Linear CDE in tables and figures. */
    public static final String LINEAR_CDE = "Linear CDE";

    /** The Linear CDE's runs: one per length of {@code c}. */
    public static List<LcdeA5RunPlan> lcdePlans(LcdeA5Config c, int a5Size, long seed, String backend, DType dtype) {
        List<LcdeA5RunPlan> out = new ArrayList<>();
        for (int n : c.lengths()) {
            out.add(new LcdeA5RunPlan(ARTIFACT, cell(LINEAR_CDE, n), c, n, a5Size, seed, backend, dtype));
        }
        return out;
    }

    /** The sequence models' runs: one depth search per model of {@code c}; {@code maxSteps} empty: R2's epochs. */
    public static List<SsmA5SearchPlan> ssmPlans(SsmA5Config c, R2LearningRates rates, OptionalLong maxSteps,
                                                 int printSteps, int a5Size, long seed, String backend, DType dtype) {
        List<SsmA5SearchPlan> out = new ArrayList<>();
        for (String m : c.modelNames()) {
            out.add(new SsmA5SearchPlan(ARTIFACT, m + " / depth search", c, m, rates, maxSteps, printSteps, a5Size, seed,
                    backend, dtype));
        }
        return out;
    }

    /** The cell label of one length of a model ("Linear CDE / A5-8"). */
    public static String cell(String model, int length) {
        return model + " / A5-" + length;
    }
}
