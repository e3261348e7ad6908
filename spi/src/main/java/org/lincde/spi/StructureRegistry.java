package org.lincde.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The structures found on the class path through {@link ServiceLoader}. Discovery is validated
 * (JUnit's {@code EngineIdValidator} idea): two providers with one id are an error naming both
 * classes and jars; a provider built against another SPI major version is refused; a provider
 * that fails to load is listed as unavailable and the rest go on (SLF4J's lesson).
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public final class StructureRegistry {
    /** Ids reserved for the built-in structures, each bound to its one implementing class. */
    private static final Map<String, String> BUILT_INS = Map.of(
            "dense", "org.lincde.spi.structure.DenseStructure",
            "diagonal", "org.lincde.spi.structure.DiagonalStructure",
            "block-diagonal", "org.lincde.spi.structure.BlockDiagonalStructure",
            "sparse", "org.lincde.spi.structure.SparseStructure",
            "walsh-hadamard", "org.lincde.spi.structure.WalshHadamardStructure",
            "dplr", "org.lincde.spi.structure.DplrStructure",
            "diagonal-dense", "org.lincde.spi.structure.DiagonalDenseStructure");

    /** Ids reserved for the built-in structures. */
    public static final Set<String> BUILT_IN_IDS = BUILT_INS.keySet();

    private final Map<String, Structure> byId = new LinkedHashMap<>();
    private final List<String> unavailable = new ArrayList<>();

    /** Registers {@code structures} in order (for tests and embedding). */
    public StructureRegistry(Iterable<? extends Structure> structures) {
        for (Structure s : structures) {
            add(s);
        }
    }

    /** Discovers structures with the context class loader. */
    public static StructureRegistry discover() {
        return discover(Thread.currentThread().getContextClassLoader());
    }

    /** Discovers structures with {@code loader}. */
    public static StructureRegistry discover(ClassLoader loader) {
        StructureRegistry r = new StructureRegistry(List.of());
        Registries.discover(Structure.class, loader, r::add, r.unavailable);
        return r;
    }

    private void add(Structure s) {
        if (s.spiVersion() != Spi.VERSION) {
            unavailable.add(s.id() + " (" + Registries.origin(s) + ") was built for SPI " + s.spiVersion()
                    + ", this is SPI " + Spi.VERSION);
            return;
        }
        Structure prev = byId.get(s.id());
        if (prev != null) {
            throw new IllegalStateException("two structures share the id '" + s.id() + "': "
                    + Registries.origin(prev) + " and " + Registries.origin(s));
        }
        if (BUILT_INS.containsKey(s.id()) && !BUILT_INS.get(s.id()).equals(s.getClass().getName())) {
            throw new IllegalStateException("structure id '" + s.id() + "' is reserved for the built-in, but "
                    + Registries.origin(s) + " claims it; namespace plugin ids (e.g. 'myorg." + s.id() + "')");
        }
        byId.put(s.id(), s);
    }

    /** The structure with {@code id}; an unknown id is an error listing the available ids. */
    public Structure get(String id) {
        Structure s = byId.get(id);
        if (s == null) {
            throw new IllegalArgumentException("unknown structure '" + id + "' (available: " + byId.keySet() + ")");
        }
        return s;
    }

    /** Configures {@code spec} for the given sizes. */
    public StructuredVectorField configure(StructureSpec spec, int hidden, int controlChannels) {
        return get(spec.id()).configure(hidden, controlChannels, spec);
    }

    /** All structures, in discovery order. */
    public List<Structure> all() {
        return List.copyOf(byId.values());
    }

    /** Providers that failed to load, with the reason. */
    public List<String> unavailable() {
        return Collections.unmodifiableList(unavailable);
    }
}
