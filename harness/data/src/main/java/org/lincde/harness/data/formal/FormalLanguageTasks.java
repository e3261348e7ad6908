package org.lincde.harness.data.formal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The formal-language tasks by R1 name (SPEC §3.2). The four regular tasks of the SLiCE paper's
 * table come first ({@link #REGULAR}).
 *
 * <p>Not provided: {@code majority}, {@code majority_count} and {@code set}. At R1's HEAD their
 * generators take a {@code random.Random} instead of a seed and would raise inside the dataset
 * class ([QUIRK], SPEC §3.2), so no run of R1 used them; asking for them gives an error that says
 * so.
 */
public final class FormalLanguageTasks {
    /** The regular-language tasks of the SLiCE paper's table/figure, in its order. */
    public static final List<String> REGULAR = List.of("cycle_nav", "even_pairs", "parity", "mod_arith_no_brack");

    private static final Set<String> UNSUPPORTED = Set.of("majority", "majority_count", "set");

    private static final Map<String, FormalLanguageTask> TASKS = new LinkedHashMap<>();

    static {
        for (FormalLanguageTask t : List.of(new CycleNavigation(), new EvenPairs(), new Parity(),
                new ModularArithmetic(), new ModularArithmeticWithBrackets(), new SolveEquation(),
                new ReverseString(), new DuplicateString(), new OddsFirst(), new MissingDuplicate(), new BucketSort(),
                new StackManipulation(), new BinaryAddition(), new BinaryMultiplication(), new ComputeSqrt())) {
            TASKS.put(t.name(), t);
        }
    }

    private FormalLanguageTasks() {
    }

    /** Every task name, regular tasks first. */
    public static List<String> names() {
        return List.copyOf(TASKS.keySet());
    }

    /** Whether {@code name} is a known task. */
    public static boolean contains(String name) {
        return TASKS.containsKey(name);
    }

    /**
     * The task called {@code name}.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static FormalLanguageTask byName(String name) {
        FormalLanguageTask t = TASKS.get(name);
        if (t != null) {
            return t;
        }
        String known = "; known tasks: " + String.join(", ", names());
        throw new IllegalArgumentException(unsupportedReason(name)
                .map(reason -> "formal-language task '" + name + "' is not provided: " + reason + known)
                .orElse("unknown formal-language task '" + name + "'" + known));
    }

    /** Why an R1 task name that this class does not provide is left out; empty for other names. */
    public static Optional<String> unsupportedReason(String name) {
        return UNSUPPORTED.contains(name)
                ? Optional.of("R1's generator for it cannot run at HEAD (SPEC §3.2 [QUIRK])")
                : Optional.empty();
    }
}
