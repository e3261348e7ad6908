package org.lincde.harness.reproduce;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.lincde.harness.run.RunPlan;
import org.lincde.spi.DType;

/**
 * One table or figure of the papers (a {@link java.util.ServiceLoader} service, implemented in
 * {@code paper-tables}): the runs it needs per profile and how it renders their records beside the
 * published numbers.
 */
public interface Artifact {
    /** Id used by {@code --only} ({@code slice-regular-languages}). */
    String id();

    /** Title as in the paper. */
    String title();

    /** The runs of this artifact for {@code profile} on {@code backend} in {@code dtype}. */
    List<RunPlan> grid(Profile profile, String backend, DType dtype);

    /**
     * Writes the artifact's tables and figures into {@code outDir} from the stored records of
     * {@code grid} (missing records, e.g. of other shards, are shown as pending).
     *
     * @return the files written, the first being the artifact's main page
     */
    List<Path> render(Profile profile, List<RunPlan> grid, Results results, Path outDir) throws IOException;

    /**
     * The verdict tally of this artifact's cells against the published numbers (for the report's
     * summary line). Artifacts without published numbers keep the default.
     */
    default Verdicts verdicts(Profile profile, List<RunPlan> grid, Results results) {
        return Verdicts.NONE;
    }

    /** Ordering in reports (lower first). */
    default int order() {
        return 100;
    }

    /** Read access to stored run records. */
    interface Results {
        /** The record of {@code plan}, if it has run. */
        java.util.Optional<org.lincde.harness.results.RunRecord> of(RunPlan plan);
    }
}
