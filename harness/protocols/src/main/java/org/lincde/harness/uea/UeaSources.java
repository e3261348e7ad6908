package org.lincde.harness.uea;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.lincde.harness.data.uea.BundledUeaData;
import org.lincde.harness.data.uea.UeaRawDataset;

/**
 * Loads raw UEA datasets, keeping the last one read: a grid runs several seeds and variants of one dataset
 * back to back, and parsing EigenWorms (259 × 17 984 × 6 values) every time would dominate short runs.
 * The seed-dependent processing (split, scaling, log-signatures) is never cached.
 */
public final class UeaSources {
    private static String lastKey;
    private static String lastName;
    private static UeaRawDataset last;

    private UeaSources() {}

    /** The dataset {@code name} read from {@code dir} (see {@link UeaRawDataset#load}). */
    public static synchronized UeaRawDataset load(Path dir, String name) {
        Path abs = dir.toAbsolutePath().normalize();
        UeaRawDataset cached = cached("dir:" + abs, name);
        if (cached != null) {
            return cached;
        }
        try {
            return keep("dir:" + abs, name, UeaRawDataset.load(abs, name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read UEA dataset " + name + " from " + abs + ": " + e.getMessage(), e);
        }
    }

    /** The dataset {@code name} as lincde ships it ({@link BundledUeaData#load}: checksums checked). */
    public static synchronized UeaRawDataset bundled(String name) {
        UeaRawDataset cached = cached("bundled", name);
        if (cached != null) {
            return cached;
        }
        try {
            return keep("bundled", name, BundledUeaData.load(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lincde's bundled UEA dataset " + name + ": " + e.getMessage(), e);
        }
    }

    private static UeaRawDataset cached(String key, String name) {
        return last != null && key.equals(lastKey) && name.equals(lastName) ? last : null;
    }

    private static UeaRawDataset keep(String key, String name, UeaRawDataset raw) {
        lastKey = key;
        lastName = name;
        last = raw;
        return raw;
    }
}
