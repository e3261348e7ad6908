package org.lincde.spi.testing;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.lincde.spi.Backend;

/**
 * The module rules every backend keeps, read from its compiled classes: the {@link Backend} provider is
 * the only public top-level type of the backend's package, and the {@code .internal} package never
 * refers to that package (the arrows point one way).
 */
public final class BackendModuleRules {
    private BackendModuleRules() {}

    /** The public top-level types of {@code provider}'s package other than the provider (should be none). */
    public static List<String> otherPublicTypes(Class<? extends Backend> provider) {
        List<String> out = new ArrayList<>();
        for (Path f : classFiles(provider, false)) {
            String name = f.getFileName().toString().replace(".class", "");
            if (name.contains("$") || name.equals("package-info")) {
                continue;
            }
            try {
                Class<?> c = Class.forName(provider.getPackageName() + "." + name, false, provider.getClassLoader());
                if (Modifier.isPublic(c.getModifiers()) && c != provider) {
                    out.add(c.getName());
                }
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** The classes of {@code provider}'s {@code .internal} package that refer to a type of its package. */
    public static List<String> internalClassesReferringUp(Class<? extends Backend> provider) {
        Pattern up = Pattern.compile(Pattern.quote(provider.getPackageName().replace('.', '/') + "/") + "[A-Z]");
        List<String> out = new ArrayList<>();
        for (Path f : classFiles(provider, true)) {
            try {
                // class names stand in the constant pool as UTF-8 in internal form (a/b/C)
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                if (up.matcher(text).find()) {
                    out.add(f.getFileName().toString());
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static List<Path> classFiles(Class<?> provider, boolean internal) {
        try {
            Path root = Path.of(provider.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = root.resolve(provider.getPackageName().replace('.', '/'));
            if (internal) {
                dir = dir.resolve("internal");
            }
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (Stream<Path> s = Files.list(dir)) {
                return s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
            }
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot list the classes of " + provider.getName(), e);
        }
    }
}
