package org.lincde.harness.data.uea;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads the UEA datasets of the SLiCE/Log-NCDE comparison (SPEC §3.5) — never during tests
 * or runs, only when a user asks for it.
 *
 * <p><b>Sources.</b> Per dataset {@code <base>/<Name>.zip}, with the default base the aeon
 * toolkit's per-dataset folder on timeseriesclassification.com ({@link #DEFAULT_BASE}); or the
 * whole 2018 multivariate ARFF archive the authors fetched ({@link #ARCHIVE}; all 30 datasets,
 * far larger than the six). Both URLs are the ones public code used at the time of writing (never
 * contacted while building lincde); the site may move them — the base is a setting.
 *
 * <p><b>Guarantees.</b> Bytes go to {@code <file>.part}; an interrupted transfer is resumed
 * with an HTTP {@code Range} request (within one call, up to {@link Settings#maxAttempts()}
 * requests, and across calls from a leftover {@code .part}); a server that ignores the range
 * restarts the file. When complete, the SHA-256 is checked against {@link UeaChecksums}; a
 * mismatch deletes the {@code .part} and throws {@link ChecksumMismatchException}, so no final
 * file appears; a match (or no known checksum, unless {@link Settings#requireChecksum()}) moves
 * the {@code .part} atomically to its final name. Connect and read timeouts are bounded. An
 * unreachable host fails with "cannot reach … (offline?)".
 */
public final class UeaDownloader {
    private static final Logger LOG = LoggerFactory.getLogger(UeaDownloader.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes\\s+\\*/(\\d+)");

    /** The per-dataset zip folder: {@code <DEFAULT_BASE><Name>.zip}. */
    public static final URI DEFAULT_BASE = URI.create("https://timeseriesclassification.com/aeon-toolkit/");

    /** The 2018 multivariate ARFF archive the Log-NCDE pipeline downloads. */
    public static final URI ARCHIVE =
            URI.create("https://www.timeseriesclassification.com/aeon-toolkit/Archives/Multivariate2018_arff.zip");

    /** The six datasets of the SLiCE UEA table (SPEC §3.5, §5.4). */
    public static final List<String> PAPER_DATASETS = List.of("EigenWorms", "EthanolConcentration", "Heartbeat",
            "MotorImagery", "SelfRegulationSCP1", "SelfRegulationSCP2");

    /**
     * Where and how to download.
     *
     * @param base            folder URL holding {@code <Name>.zip} (ends with {@code /})
     * @param directory       where zips and {@code .part} files are written
     * @param checksums       expected SHA-256 per file name
     * @param requireChecksum refuse to download a file with no expected checksum
     * @param connectTimeout  bound on opening a connection
     * @param readTimeout     bound on each blocking read
     * @param maxAttempts     requests per call before giving up (resuming in between)
     */
    public record Settings(URI base, Path directory, UeaChecksums checksums, boolean requireChecksum,
                           Duration connectTimeout, Duration readTimeout, int maxAttempts) {
        /** Checks the values. */
        public Settings {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(checksums, "checksums");
            if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative()
                    || readTimeout.isZero()) {
                throw new IllegalArgumentException("download timeouts must be positive, got connect " + connectTimeout
                        + ", read " + readTimeout);
            }
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be ≥ 1, got " + maxAttempts);
            }
        }

        /** Defaults: {@link #DEFAULT_BASE}, no checksums required, 30 s / 60 s timeouts, 5 attempts. */
        public static Settings defaults(Path directory, UeaChecksums checksums) {
            return new Settings(DEFAULT_BASE, directory, checksums, false, Duration.ofSeconds(30), Duration.ofSeconds(60),
                    5);
        }
    }

    /**
     * What a download produced.
     *
     * @param file           the final file
     * @param sha256         its SHA-256 (hex)
     * @param verified       whether it matched a known checksum
     * @param bytes          its size
     * @param requests       HTTP requests made (0 when the file was already there)
     * @param resumed        whether any request continued a partial file
     */
    public record Result(Path file, String sha256, boolean verified, long bytes, int requests, boolean resumed) {
    }

    private final Settings settings;

    /** A downloader with the given settings. */
    public UeaDownloader(Settings settings) {
        this.settings = settings;
    }

    /** Downloads {@code <base><name>.zip} to {@code <directory>/<name>.zip}. */
    public Result download(String name) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("dataset name '" + name + "' must be letters, digits, '_' or '-'");
        }
        return fetch(settings.base().resolve(name + ".zip"), name + ".zip");
    }

    /** Downloads the whole archive {@link #ARCHIVE} to {@code <directory>/Multivariate2018_arff.zip}. */
    public Result downloadArchive() throws IOException {
        return fetch(ARCHIVE, "Multivariate2018_arff.zip");
    }

    /** Downloads {@code source} to {@code <directory>/<fileName>} with the guarantees above. */
    public Result fetch(URI source, String fileName) throws IOException {
        if (!FILE_NAME.matcher(fileName).matches()) {
            throw new IllegalArgumentException("file name '" + fileName + "' must be letters, digits, '.', '_' or '-'");
        }
        String expected = settings.checksums().expected(fileName).orElse(null);
        Path target = settings.directory().resolve(fileName);
        if (Files.isRegularFile(target)) {
            String have = sha256(target);
            if (expected != null && !expected.equals(have)) {
                throw new ChecksumMismatchException(target + " (already present)", expected, have);
            }
            String broken = zipProblem(target);
            if (broken == null) {
                return new Result(target, have, expected != null, Files.size(target), 0, false);
            }
            // an earlier, unverified download that is not a whole zip: never used, fetched again
            LOG.warn("{} is not a valid zip ({}): deleted, downloading it again", target, broken);
            Files.delete(target);
        }
        if (expected == null && settings.requireChecksum()) {
            throw new IOException("no expected SHA-256 for " + fileName + " and checksums are required: add it to the"
                    + " checksum table before downloading " + source);
        }
        Files.createDirectories(settings.directory());
        Path part = settings.directory().resolve(fileName + ".part");
        int requests = 0;
        boolean resumed = false;
        IOException last = null;
        while (requests < settings.maxAttempts()) {
            requests++;
            long have = Files.isRegularFile(part) ? Files.size(part) : 0L;
            resumed |= have > 0;
            try {
                if (transfer(source, part, have)) {
                    last = null;
                    break;
                }
                last = new IOException("incomplete download of " + source);
            } catch (UnreachableException | HttpStatusException e) {
                if (Files.isRegularFile(part) && Files.size(part) == 0) {
                    Files.delete(part);
                }
                throw e;
            } catch (IOException e) {
                last = e;
            }
            LOG.info("download of {} interrupted after {} bytes ({}); resuming", source,
                    Files.isRegularFile(part) ? Files.size(part) : 0, last.getMessage());
        }
        if (last != null) {
            boolean kept = Files.isRegularFile(part) && Files.size(part) > 0;
            throw new IOException("giving up on " + source + " after " + requests + " requests" + (kept ? "; " + part
                    + " (" + Files.size(part) + " bytes) is kept, run again to resume" : "") + ": " + last.getMessage(),
                    last);
        }
        String broken = zipProblem(part);
        if (broken != null) {
            Files.deleteIfExists(part);
            throw new IOException(source + " is not a valid zip (" + broken + "); the download was deleted");
        }
        String actual = sha256(part);
        if (expected != null && !expected.equals(actual)) {
            Files.deleteIfExists(part);
            throw new ChecksumMismatchException(fileName + " from " + source, expected, actual);
        }
        if (expected == null) {
            // the caller reports it (Result.verified() is false); the CLI prints the sum to pin
            LOG.debug("no expected SHA-256 for {}: accepted unverified, observed {}", fileName, actual);
        }
        long bytes = Files.size(part);
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return new Result(target, actual, expected != null, bytes, requests, resumed);
    }

    /**
     * One request; appends to {@code part} (or restarts it). Returns true when the file is
     * complete, false when the body ended early.
     */
    private boolean transfer(URI source, Path part, long have) throws IOException {
        HttpURLConnection conn;
        int code;
        try {
            conn = (HttpURLConnection) source.toURL().openConnection();
            conn.setConnectTimeout(Math.toIntExact(settings.connectTimeout().toMillis()));
            conn.setReadTimeout(Math.toIntExact(settings.readTimeout().toMillis()));
            conn.setRequestProperty("Accept-Encoding", "identity");
            if (have > 0) {
                conn.setRequestProperty("Range", "bytes=" + have + "-");
            }
            code = conn.getResponseCode();
        } catch (UnknownHostException | ConnectException | NoRouteToHostException e) {
            throw new UnreachableException(source, e);
        } catch (SocketTimeoutException e) {
            if (String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("connect")) {
                throw new UnreachableException(source, e);
            }
            throw e;
        }
        try {
            long start;
            long total;
            if (code == HttpURLConnection.HTTP_PARTIAL && have > 0) {
                Matcher m = CONTENT_RANGE.matcher(String.valueOf(conn.getHeaderField("Content-Range")));
                if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                    throw new IOException(source + ": unexpected Content-Range '" + conn.getHeaderField("Content-Range")
                            + "' for a resume from byte " + have);
                }
                start = have;
                total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
            } else if (code == HttpURLConnection.HTTP_OK) {
                start = 0; // a server that ignores Range sends everything: restart
                long len = conn.getContentLengthLong();
                total = len;
            } else if (code == 416 && have > 0) {
                Matcher m = UNSATISFIED_RANGE.matcher(String.valueOf(conn.getHeaderField("Content-Range")));
                if (m.matches() && Long.parseLong(m.group(1)) == have) {
                    return true; // the .part is already complete
                }
                Files.deleteIfExists(part);
                return false;
            } else if (code >= 400 && code < 500 && code != 408 && code != 429) {
                // the request itself is refused (404: no such file): asking again cannot help
                throw new HttpStatusException(source + ": HTTP " + code + " " + conn.getResponseMessage());
            } else {
                throw new IOException(source + ": HTTP " + code + " " + conn.getResponseMessage());
            }
            long written = start;
            StandardOpenOption mode = start == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
            try (InputStream in = conn.getInputStream();
                 OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         mode)) {
                byte[] buf = new byte[1 << 16];
                int r;
                while ((r = in.read(buf)) >= 0) {
                    out.write(buf, 0, r);
                    written += r;
                }
            } catch (IOException e) {
                if (written > start) {
                    return false; // keep what arrived; the next request resumes
                }
                throw e;
            }
            if (total >= 0 && written > total) {
                Files.deleteIfExists(part);
                throw new IOException(source + ": received " + written + " bytes, more than the announced " + total);
            }
            return total < 0 || written == total;
        } finally {
            conn.disconnect();
        }
    }

    /**
     * Why {@code file} is not a complete zip archive, or null if it is one (or is not named {@code .zip}/{@code .part}
     * of one): the central directory must be readable and every entry must inflate to its recorded size and CRC.
     */
    static String zipProblem(Path file) {
        String n = file.getFileName().toString();
        if (!n.endsWith(".zip") && !n.endsWith(".zip.part")) {
            return null;
        }
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(file.toFile())) {
            var entries = z.entries();
            if (!entries.hasMoreElements()) {
                return "no entries";
            }
            byte[] buf = new byte[1 << 16];
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                try (InputStream in = z.getInputStream(e)) {
                    while (in.read(buf) >= 0) {
                        // reading to the end checks the entry's CRC and size
                    }
                } catch (IOException ex) {
                    return "entry " + e.getName() + ": " + ex.getMessage();
                }
            }
            return null;
        } catch (IOException e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    /** Hex SHA-256 of a file. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) >= 0) {
                md.update(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Extracts the files of dataset {@code name} ({@code <name>_TRAIN} and {@code _TEST}, as
     * {@code .arff} or {@code .ts}, at any depth) from {@code zip} — a per-dataset zip or the
     * whole archive — into {@code targetDir}, flattened, so that
     * {@link UeaRawDataset#load(Path, String)} can read {@code targetDir}. Returns the files
     * written; none found is an error naming the zip.
     */
    public static List<Path> extractDataset(Path zip, String name, Path targetDir) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("dataset name '" + name + "' must be letters, digits, '_' or '-'");
        }
        Pattern wanted = Pattern.compile(Pattern.quote(name) + "_(TRAIN|TEST)\\.(arff|ts)");
        List<Path> written = new ArrayList<>();
        Files.createDirectories(targetDir);
        java.util.Set<String> splits = new java.util.TreeSet<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                String entry = e.getName().replace('\\', '/');
                if (entry.startsWith("/") || entry.matches("^[A-Za-z]:.*") || ("/" + entry + "/").contains("/../")) {
                    // zip-slip: an entry that names a place outside the archive's own folder is never extracted
                    throw new IOException(zip + ": entry '" + e.getName() + "' points outside the archive's folder; "
                            + "refusing the whole archive");
                }
                if (e.isDirectory()) {
                    continue;
                }
                String base = entry.substring(entry.lastIndexOf('/') + 1);
                java.util.regex.Matcher m = wanted.matcher(base);
                if (!m.matches()) {
                    continue;
                }
                Path out = targetDir.resolve(base); // flattened: no path from the zip reaches the disk
                Path tmp = targetDir.resolve(base + ".part");
                try {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException ex) {
                    Files.deleteIfExists(tmp);
                    throw new IOException(zip + ": entry '" + e.getName() + "' cannot be read: " + ex.getMessage(), ex);
                }
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
                written.add(out);
                splits.add(m.group(1));
            }
        }
        if (written.isEmpty()) {
            throw new IOException(zip + " holds no " + name + "_TRAIN/_TEST .arff or .ts file");
        }
        if (splits.size() < 2) {
            String missing = splits.contains("TRAIN") ? "TEST" : "TRAIN";
            for (Path w : written) {
                Files.deleteIfExists(w);
            }
            throw new IOException(zip + " holds no " + name + "_" + missing + " .arff or .ts file (only "
                    + splits + ")");
        }
        return written;
    }

    /** The server refused the request itself (e.g. 404): retrying would not help. */
    private static final class HttpStatusException extends IOException {
        private static final long serialVersionUID = 1L;

        HttpStatusException(String message) {
            super(message);
        }
    }

    /** The host could not be reached at all: retrying within this call would not help. */
    private static final class UnreachableException extends IOException {
        private static final long serialVersionUID = 1L;

        UnreachableException(URI source, IOException cause) {
            super("cannot reach " + source.getHost() + (source.getPort() > 0 ? ":" + source.getPort() : "")
                    + " (offline?) for " + source + ": " + cause, cause);
        }
    }
}
