package org.lincde.harness.uea;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Where UEA datasets are looked for, in order: the system property {@code lincde.uea.dir}, the environment
 * variable {@code LINCDE_UEA_DIR}, {@code <root>/.lincde/data/uea} (where {@code lincde datasets fetch uea}
 * puts them; {@code root} = {@code lincde.root.dir} or the working directory), then the shared data of
 * this project's machines ({@code lincde.shared.dir}/data/uea and {@code <root>/../shared/data/uea}).
 * Within a root a dataset is {@code <root>/<Name>/<Name>_TRAIN.(ts|arff)} or {@code <root>/<Name>_TRAIN…}.
 */
public final class UeaDataLocator {
    /** Where {@code lincde datasets fetch uea} writes by default, relative to the project root. */
    public static final Path DEFAULT_RELATIVE = Path.of(".lincde", "data", "uea");

    private final List<Path> roots;

    /** A locator over explicit roots (tests). */
    public UeaDataLocator(List<Path> roots) {
        this.roots = List.copyOf(roots);
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
        Path root = projectRoot();
        r.add(root.resolve(DEFAULT_RELATIVE));
        String shared = System.getProperty("lincde.shared.dir");
        if (shared != null && !shared.isBlank()) {
            r.add(Path.of(shared).resolve("data").resolve("uea"));
        }
        r.add(root.resolve("..").resolve("shared").resolve("data").resolve("uea").normalize());
        return new UeaDataLocator(new ArrayList<>(r));
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

    /** Whether {@code name} is available. */
    public boolean available(String name) {
        return find(name).isPresent();
    }

    /** The folder of {@code name}, or an error naming the roots searched and the fetch command. */
    public Path require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("UEA dataset " + name
                + " not found (searched " + roots + "); run `lincde datasets fetch uea` or set -Dlincde.uea.dir"));
    }

    private static boolean has(Path dir, String name, String split) {
        return Files.isRegularFile(dir.resolve(name + "_" + split + ".ts"))
                || Files.isRegularFile(dir.resolve(name + "_" + split + ".arff"));
    }
}
