package org.lincde.harness.data.uea;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Finds and reads the files of one UEA dataset: {@code <dir>/<Name>_TRAIN.arff} and
 * {@code <Name>_TEST.arff}, or the {@code .ts} files (ARFF preferred: it is what the Log-NCDE
 * pipeline read, SPEC §3.5; both formats hold the same numbers).
 */
public final class UeaFiles {
    private UeaFiles() {
    }

    /** Reads one file, choosing the reader by its extension ({@code .ts} or {@code .arff}). */
    public static UeaSeriesSet read(Path file) throws IOException {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".ts")) {
            return UeaTsReader.read(file);
        }
        if (n.endsWith(".arff")) {
            return UeaArffReader.read(file);
        }
        throw new UeaFormatException(file, 0, "unknown UEA file type: expected .ts or .arff");
    }

    /**
     * The file of split {@code split} ({@code "TRAIN"} or {@code "TEST"}) of dataset {@code name}
     * in {@code dir}; fails naming both candidates when neither exists.
     */
    public static Path locate(Path dir, String name, String split) {
        Path arff = dir.resolve(name + "_" + split + ".arff");
        if (Files.isRegularFile(arff)) {
            return arff;
        }
        Path ts = dir.resolve(name + "_" + split + ".ts");
        if (Files.isRegularFile(ts)) {
            return ts;
        }
        throw new IllegalArgumentException("UEA dataset " + name + ": neither " + arff + " nor " + ts + " exists");
    }
}
