package org.lincde.harness.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A report is rendered into a staging folder beside its final place ({@code <out>/.<profile>.staging-<pid>}) and
 * swapped in only once complete, so a failure or a kill while rendering leaves the last good report byte for byte.
 * The swap renames the old folder aside ({@code .<profile>.old-<pid>}) and the staging folder into place; what the
 * old folder held that the report does not write (e.g. {@code slurm/}) is carried over first, by hard links. A later
 * render removes what a killed one left behind (staging folders and figure temp folders of processes no longer
 * alive) and puts back an old folder if a kill fell between the two renames.
 */
final class ReportFolder {
    private static final Pattern LEFTOVER = Pattern.compile("\\.(.+)\\.(staging|old)-(\\d+)");

    private final Path target;
    private final Path staging;

    private ReportFolder(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
    }

    /** Fails when {@code target} or a folder above it is a file (checked before any run). */
    static void check(Path target) {
        for (Path p = target.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new IllegalArgumentException("report folder " + target + ": " + p + " is a file, not a folder "
                        + "(move it away or give --out DIR)");
            }
            if (Files.isDirectory(p)) {
                break;
            }
        }
    }

    /** Cleans what earlier renders left, checks {@code target} can be a folder, and creates a staging folder. */
    static ReportFolder begin(Path target) {
        check(target);
        Path parent = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
            cleanLeftovers(parent, target.getFileName().toString());
            Path staging = parent.resolve("." + target.getFileName() + ".staging-" + ProcessHandle.current().pid());
            deleteTree(staging);
            Files.createDirectories(staging);
            return new ReportFolder(target, staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the report folder " + target, e);
        }
    }

    /** Where the report is rendered. */
    Path staging() {
        return staging;
    }

    /** {@code p} (under the staging folder) as it will be named once swapped in. */
    Path finalPath(Path p) {
        return p == null ? null : target.resolve(staging.relativize(p));
    }

    /** Swaps the complete staging folder in. */
    void commit() throws IOException {
        if (Files.isDirectory(target)) {
            try (Stream<Path> s = Files.list(target)) {
                for (Path e : s.toList()) {
                    Path into = staging.resolve(e.getFileName().toString());
                    if (!Files.exists(into) && !e.getFileName().toString().startsWith(".fig-")) {
                        linkTree(e, into);
                    }
                }
            }
            Path old = target.resolveSibling("." + target.getFileName() + ".old-" + ProcessHandle.current().pid());
            deleteTree(old);
            move(target, old);
            move(staging, target);
            deleteTree(old);
        } else {
            move(staging, target);
        }
    }

    /** Removes the staging folder (after a failure; the previous report stays as it was). */
    void abandon() {
        try {
            deleteTree(staging);
        } catch (IOException ignored) {
            // a later render removes it
        }
    }

    private static void cleanLeftovers(Path parent, String name) throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(parent)) {
            entries = s.toList();
        }
        Path target = parent.resolve(name);
        for (Path e : entries) {
            Matcher m = LEFTOVER.matcher(e.getFileName().toString());
            if (!m.matches() || !m.group(1).equals(name)) {
                continue;
            }
            long pid = Long.parseLong(m.group(3));
            if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                continue; // another render in progress
            }
            if (m.group(2).equals("old") && !Files.exists(target)) {
                move(e, target); // killed between the two renames: the old report is the last good one
            } else {
                deleteTree(e);
            }
        }
        if (Files.isDirectory(target)) {
            // figure temp folders of renders killed before staging existed
            try (Stream<Path> s = Files.walk(target, 2)) {
                for (Path p : s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith(".fig-"))
                        .toList()) {
                    deleteTree(p);
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Copies {@code from} to {@code to} as hard links where the file system allows, else as copies. */
    private static void linkTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path dest = to.resolve(from.relativize(file).toString());
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(dest, Files.readSymbolicLink(file));
                    return FileVisitResult.CONTINUE;
                }
                try {
                    Files.createLink(dest, file);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(file, dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
