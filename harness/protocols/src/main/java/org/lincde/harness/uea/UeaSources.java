package org.lincde.harness.uea;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.lincde.harness.data.uea.UeaRawDataset;

/**
 * Loads raw UEA datasets, keeping the last one read: a grid runs several seeds and variants of one dataset
 * back to back, and parsing EigenWorms (259 × 17 984 × 6 values) every time would dominate short runs.
 * The seed-dependent processing (split, scaling, log-signatures) is never cached.
 */
public final class UeaSources {
    private static Path lastDir;
    private static String lastName;
    private static UeaRawDataset last;

    private UeaSources() {}

    /** The dataset {@code name} read from {@code dir} (see {@link UeaRawDataset#load}). */
    public static synchronized UeaRawDataset load(Path dir, String name) {
        Path abs = dir.toAbsolutePath().normalize();
        if (last != null && abs.equals(lastDir) && name.equals(lastName)) {
            return last;
        }
        try {
            UeaRawDataset raw = UeaRawDataset.load(abs, name);
            lastDir = abs;
            lastName = name;
            last = raw;
            return raw;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read UEA dataset " + name + " from " + abs + ": " + e.getMessage(), e);
        }
    }
}
