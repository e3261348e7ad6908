package org.lincde.harness.results;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * One writer per results folder and shard: a second {@code reproduce} (or {@code train}, {@code experiment}) on the
 * same folder would compute the same runs twice and record timings measured while both shared the cores. The lock
 * is an operating-system lock on {@code <results>/.lock-<name>} (released when the process ends, however it ends);
 * the file holds the holder's PID and command for the message a second process prints. Shards of one grid use
 * different names, so a Slurm array's tasks still share one folder.
 */
public final class ResultsLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private ResultsLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock {@code name} of {@code root}, waiting up to {@code wait} for a holder to finish; fails naming the
     * holder's PID. A file system without locks (some network mounts) gives no lock and no error.
     */
    public static ResultsLock acquire(Path root, String name, Duration wait, String command) {
        Path file = root.resolve(".lock-" + name);
        FileChannel ch;
        try {
            Files.createDirectories(root);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IllegalArgumentException("results folder " + root + ": cannot create the lock file " + file + ": "
                    + e.getMessage());
        }
        Instant until = Instant.now().plus(wait);
        try {
            while (true) {
                FileLock l;
                try {
                    l = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    l = null; // held by this very process (another command in the same JVM)
                } catch (IOException e) {
                    ch.close();
                    return new ResultsLock(null, null); // no locks on this file system
                }
                if (l != null) {
                    ch.truncate(0);
                    ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\ncommand " + command
                            + "\nsince " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                    ch.force(false);
                    return new ResultsLock(ch, l);
                }
                if (!Instant.now().isBefore(until)) {
                    String holder = holder(file);
                    ch.close();
                    throw new IllegalArgumentException("results folder " + root + " is in use by another lincde process ("
                            + holder + "): two processes would run the same runs twice and time them on shared "
                            + "cores; wait for it to finish, or give another --results folder");
                }
                Thread.sleep(200);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("results folder " + root + ": cannot lock " + file + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the lock on " + root, e);
        }
    }

    private static String holder(Path file) {
        try {
            String s = Files.readString(file).strip();
            return s.isEmpty() ? "PID unknown" : s.replace("\n", ", ").replaceFirst("^pid ", "PID ");
        } catch (IOException e) {
            return "PID unknown";
        }
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // the operating system releases it when the process ends
        }
    }
}
