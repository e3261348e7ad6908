package org.lincde.harness.run;

import java.util.Map;
import java.util.TreeMap;

/**
 * The version of each piece of code whose numbers a run record holds: protocols (trainers, data pipelines,
 * evaluation), models and structures. A run's key hashes its config together with the versions of the
 * components it uses ({@link #fingerprint}), so a record made before a change to a model's or protocol's numbers
 * is not mistaken for a new result: {@code report} marks it stale and {@code reproduce --rerun-stale} redoes it.
 *
 * <p>Bump a component's number in the same commit as any change that alters its numbers (a bug fix, a new
 * default, a faithful quirk). {@code CodeVersionsTest} keeps golden digests of a small run per component on the
 * float64 reference backend and fails when a digest moves while the fingerprint stays, naming the component(s) to
 * bump. Components not listed here are at version 1 (plugin structures, new models until first changed).
 */
public final class CodeVersions {
    /** Components whose numbers changed since lincde first fingerprinted its records (all others are 1). */
    private static final Map<String, Integer> VERSIONS = Map.of(
            // R1's loop: update, then evaluate; num_steps + 2 updates (docs/protocols/fidelity.md)
            "protocol:r1", 2,
            "protocol:r1-depth-search", 2,
            // R2's toy solver follows diffrax's PID controller step for step
            "protocol:r2-toy-random-lcde", 2,
            // R3's S6/Mamba train with R3's PyTorch loop; R1's mamba is Mamba2
            "model:S6", 2,
            "model:mamba", 2);

    private CodeVersions() {
    }

    /** The version of one component ({@code protocol:r1}, {@code model:lstm}, {@code structure:diagonal}). */
    public static int version(String component) {
        return VERSIONS.getOrDefault(component, 1);
    }

    /**
     * The components a run with this resolved config uses, with their versions (sorted): its protocol, its
     * model ({@code model_name} or {@code model}) and, for a linear CDE, its structure.
     */
    public static Map<String, Integer> fingerprint(Map<String, Object> config) {
        Map<String, Integer> out = new TreeMap<>();
        Object model = config.containsKey("model_name") ? config.get("model_name") : config.get("model");
        add(out, "protocol", config.get("protocol"));
        add(out, "model", model);
        // R1 configs name a structure for every model; only the linear CDEs use it
        if (model == null || model.toString().toLowerCase(java.util.Locale.ROOT).contains("cde")) {
            add(out, "structure", config.get("structure"));
        }
        return out;
    }

    private static void add(Map<String, Integer> out, String kind, Object name) {
        if (name != null && !name.toString().isBlank()) {
            String component = kind + ":" + name;
            out.put(component, version(component));
        }
    }
}
