package org.lincde.harness.cli;

import java.util.List;
import java.util.TreeSet;
import org.lincde.harness.config.ConfigException;
import org.lincde.harness.config.R1Config;
import org.lincde.harness.data.TaskOptions;
import org.lincde.harness.data.TokenTask;
import org.lincde.harness.data.TokenTasks;
import org.lincde.harness.run.ModelSpecs;
import org.lincde.harness.run.SizeBudget;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureRegistry;

/** Checks of an R1 config that need the structure registry or the heap, made before any training or allocation. */
final class ConfigChecks {
    private ConfigChecks() {}

    /**
     * {@code structure_options} the structure does not take are an error naming them (they would be ignored), and a
     * size that cannot fit in the heap is refused with the estimate ({@link SizeBudget}).
     */
    static void r1(R1Config c, StructureRegistry structures, int batch, int length, String where) {
        structureOptions(c, structures);
        TokenTask task = task(c);
        ModelSpec model = ModelSpecs.fromR1(c, task.vocabSize(), task.labelDim());
        SizeBudget.check(where, model, structures, c.modelDim(), c.numBlocks(), batch, length);
    }

    /** The task of {@code c} with a small A5 set (for its vocabulary); an unknown task names the config's key. */
    static TokenTask task(R1Config c) {
        try {
            return TokenTasks.create(c.isA5() ? "A5=" + c.length() : c.task(),
                    TaskOptions.r1Defaults(c.seed()).withA5(Math.max(2, c.length()), 1000, 0.8));
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(c.source() + ": key 'task': " + e.getMessage());
        }
    }

    /** The longest sequence a run of {@code c} trains or evaluates on (R1's padding rule). */
    static int longest(R1Config c) {
        if (c.isA5()) {
            return c.length();
        }
        int pad = c.trainPadding().orElse(c.modelName().equals("lcde") ? 40 : 256);
        return Math.max(Math.max(pad, c.trainLengths()[1]), c.validationLengths()[1]);
    }

    static void structureOptions(R1Config c, StructureRegistry structures) {
        if (!c.modelName().equals("lcde")) {
            return;
        }
        Structure s;
        try {
            s = structures.get(c.structure().id());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(c.source() + ": key 'structure': " + e.getMessage());
        }
        List<String> takes = s.options().stream().map(Structure.Option::name).toList();
        for (String k : c.structure().options().keySet()) {
            if (!takes.contains(k)) {
                throw new ConfigException(c.source() + ": key 'structure_options." + k + "': structure '"
                        + c.structure().id() + "' takes no option '" + k + "' (it takes: "
                        + (takes.isEmpty() ? "none" : String.join(", ", new TreeSet<>(takes))) + ")");
            }
        }
    }
}
