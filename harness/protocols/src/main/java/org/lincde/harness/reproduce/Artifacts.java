package org.lincde.harness.reproduce;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The artifacts on the class path, by id; duplicate ids are an error naming both classes. */
public final class Artifacts {
    private final Map<String, Artifact> byId = new LinkedHashMap<>();

    /** Registers {@code artifacts}. */
    public Artifacts(Iterable<? extends Artifact> artifacts) {
        List<Artifact> sorted = new ArrayList<>();
        artifacts.forEach(sorted::add);
        sorted.sort(Comparator.comparingInt(Artifact::order).thenComparing(Artifact::id));
        for (Artifact a : sorted) {
            Artifact prev = byId.putIfAbsent(a.id(), a);
            if (prev != null) {
                throw new IllegalStateException("two artifacts share the id '" + a.id() + "': "
                        + prev.getClass().getName() + " and " + a.getClass().getName());
            }
        }
    }

    /** Discovers artifacts with ServiceLoader. */
    public static Artifacts discover() {
        return new Artifacts(ServiceLoader.load(Artifact.class));
    }

    /** All, in report order. */
    public List<Artifact> all() {
        return List.copyOf(byId.values());
    }

    /** The artifacts named in {@code ids} (all when empty); unknown ids are an error listing the known ones. */
    public List<Artifact> select(List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            return all();
        }
        List<Artifact> out = new ArrayList<>();
        for (String id : ids) {
            Artifact a = byId.get(id);
            if (a == null) {
                throw new IllegalArgumentException("unknown artifact '" + id + "' (available: " + byId.keySet() + ")");
            }
            out.add(a);
        }
        return out;
    }
}
