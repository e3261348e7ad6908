package org.lincde.harness.uea;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.lincde.harness.data.uea.BundledUeaData;
import org.lincde.harness.data.uea.UeaRawDataset;

/**
 * Where UEA datasets are looked for, in order: the system property {@code lincde.uea.dir}, the environment
 * variable {@code LINCDE_UEA_DIR}, {@code <root>/.lincde/data/uea} (where {@code lincde datasets fetch uea}
 * puts them; {@code root} = {@code lincde.root.dir} or the working directory), then the datasets lincde ships
 * ({@link BundledUeaData}: BasicMotions and JapaneseVowels). Nothing outside these is searched.
 * Within a root a dataset is {@code <root>/<Name>/<Name>_TRAIN.(ts|arff)} or {@code <root>/<Name>_TRAIN…}.
 */
public final class UeaDataLocator {
    /** Where {@code lincde datasets fetch uea} writes by default, relative to the project root. */
    public static final Path DEFAULT_RELATIVE = Path.of(".lincde", "data", "uea");

    private final List<Path> roots;
    private final boolean bundled;

    /** A locator over explicit roots only, without the shipped datasets (tests). */
    public UeaDataLocator(List<Path> roots) {
        this(roots, false);
    }

    /** A locator over explicit roots, then (if {@code bundled}) the datasets lincde ships. */
    public UeaDataLocator(List<Path> roots, boolean bundled) {
        this.roots = List.copyOf(roots);
        this.bundled = bundled;
    }

    /** The default search path (see the class comment). */
    public static UeaDataLocator defaults() {
        LinkedHashSet<Path> r = new LinkedHashSet<>();
        String prop = System.getProperty("lincde.uea.dir");
        if (prop != null && !prop.isBlank()) {
            r.add(Path.of(prop));
        }
        String env = System.getenv("LINCDE_UEA_DIR");
        if (env != null && !env.isBlank()) {
            r.add(Path.of(env));
        }
        r.add(projectRoot().resolve(DEFAULT_RELATIVE));
        return new UeaDataLocator(new ArrayList<>(r), true);
    }

    /** {@code lincde.root.dir}, or the working directory. */
    public static Path projectRoot() {
        String root = System.getProperty("lincde.root.dir");
        return (root != null && !root.isBlank() ? Path.of(root) : Path.of("")).toAbsolutePath().normalize();
    }

    /** The roots searched, in order. */
    public List<Path> roots() {
        return roots;
    }

    /** Whether the datasets lincde ships are found after the roots. */
    public boolean bundled() {
        return bundled;
    }

    /** What is searched, for messages: the roots, then the shipped datasets if included. */
    public String searched() {
        return roots + (bundled ? " and " + BundledUeaData.description() + " of " + BundledUeaData.NAMES : "");
    }

    /** The folder holding {@code <name>_TRAIN} and {@code <name>_TEST}, if any root has it. */
    public Optional<Path> find(String name) {
        for (Path root : roots) {
            for (Path dir : List.of(root.resolve(name), root)) {
                if (has(dir, name, "TRAIN") && has(dir, name, "TEST")) {
                    return Optional.of(dir);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether {@code name} is available: in a root, or shipped with lincde. */
    public boolean available(String name) {
        return find(name).isPresent() || (bundled && BundledUeaData.contains(name));
    }

    /** Where {@code name} is read from: its folder, or the shipped copy; empty when unavailable. */
    public Optional<String> where(String name) {
        Optional<Path> dir = find(name);
        if (dir.isPresent()) {
            return Optional.of(dir.get().toString());
        }
        return bundled && BundledUeaData.contains(name) ? Optional.of(BundledUeaData.description()) : Optional.empty();
    }

    /** The folder of {@code name}, or an error naming the roots searched and the command that fetches it. */
    public Path require(String name) {
        return find(name).orElseThrow(() -> notFound(name));
    }

    /**
     * Reads {@code name} from the first root that has it, else from lincde's shipped copy (checksums checked),
     * through {@link UeaSources}' cache; an error naming what was searched and the fetch command otherwise.
     */
    public UeaRawDataset load(String name) {
        Optional<Path> dir = find(name);
        if (dir.isPresent()) {
            return UeaSources.load(dir.get(), name);
        }
        if (bundled && BundledUeaData.contains(name)) {
            return UeaSources.bundled(name);
        }
        throw notFound(name);
    }

    private IllegalArgumentException notFound(String name) {
        return new IllegalArgumentException("UEA dataset " + name + " not found (searched " + searched() + "); run `"
                + fetchCommand(List.of(name)) + "` or set -Dlincde.uea.dir");
    }

    /** The command that downloads {@code names} into the default folder: {@code lincde datasets fetch uea --names A,B}. */
    public static String fetchCommand(Collection<String> names) {
        return "lincde datasets fetch uea --names " + String.join(",", names);
    }

    private static boolean has(Path dir, String name, String split) {
        return Files.isRegularFile(dir.resolve(name + "_" + split + ".ts"))
                || Files.isRegularFile(dir.resolve(name + "_" + split + ".arff"));
    }
}
