package org.lincde.harness.data;

import java.util.ArrayList;
import java.util.List;
import org.lincde.harness.data.a5.A5Task;
import org.lincde.harness.data.formal.FormalLanguageTasks;
import org.lincde.harness.data.formal.FormalLanguageTokenTask;

/**
 * Builds {@link TokenTask}s by name (SPEC §3.1, §3.2).
 *
 * <p>Names: every formal-language task of {@link FormalLanguageTasks#names()} ({@code "cycle_nav"},
 * …), and the A5 word problem as {@code "A5"} (length {@link TaskOptions#a5Length()}) or with its
 * length in the name, {@code "A5=8"} (R1's file name) or {@code "A5-8"} (the task's own
 * {@link TokenTask#name()}). Creating a task is cheap: data are generated on first use.
 */
public final class TokenTasks {
    private TokenTasks() {
    }

    /** Every accepted name pattern, formal-language tasks first. */
    public static List<String> names() {
        List<String> out = new ArrayList<>(FormalLanguageTasks.names());
        out.add("A5");
        out.add("A5=<N>");
        out.add("A5-<N>");
        return out;
    }

    /**
     * The task called {@code taskName}.
     *
     * @throws IllegalArgumentException for an unknown name (listing the known ones) or a bad A5
     *                                  length
     */
    public static TokenTask create(String taskName, TaskOptions options) {
        if (taskName == null) {
            throw new IllegalArgumentException("task name must be given; known tasks: " + String.join(", ", names()));
        }
        if (taskName.equals("A5")) {
            return a5(options.a5Length(), options);
        }
        if (taskName.startsWith("A5=") || taskName.startsWith("A5-")) {
            String digits = taskName.substring(3);
            int length;
            try {
                length = Integer.parseInt(digits);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("task '" + taskName + "': A5 length '" + digits
                        + "' is not an integer");
            }
            return a5(length, options);
        }
        if (FormalLanguageTasks.contains(taskName)) {
            return new FormalLanguageTokenTask(FormalLanguageTasks.byName(taskName), options);
        }
        String known = "; known tasks: " + String.join(", ", names());
        throw new IllegalArgumentException(FormalLanguageTasks.unsupportedReason(taskName)
                .map(reason -> "task '" + taskName + "' is not provided: " + reason + known)
                .orElse("unknown task '" + taskName + "'" + known));
    }

    private static TokenTask a5(int length, TaskOptions options) {
        if (length < 2) {
            throw new IllegalArgumentException("A5 length must be >= 2, got " + length);
        }
        return A5Task.r1(length, options.a5Size(), options.a5TrainSplit(), options.seed());
    }
}
