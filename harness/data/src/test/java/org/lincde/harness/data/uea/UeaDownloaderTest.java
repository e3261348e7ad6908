package org.lincde.harness.data.uea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.spi.Rng;

/** Only ever talks to an HttpServer on 127.0.0.1 started (and stopped) here. */
@Timeout(30)
class UeaDownloaderTest {
    private static final String TRAIN = "@problemName Fixture\n@dimensions 2\n@classLabel true a b\n@data\n"
            + "1,2,3:4,5,6:a\n7,8:9,10:b\n";
    private static final String TEST = "@problemName Fixture\n@dimensions 2\n@classLabel true a b\n@data\n"
            + "1,2,3:4,5,6:a\n0,1,2,3:1,1,1,1:b\n";

    @TempDir
    Path dir;

    private HttpServer server;
    private byte[] body;
    private final List<String> ranges = new CopyOnWriteArrayList<>();
    private final AtomicInteger truncateNext = new AtomicInteger();
    private volatile boolean honourRange = true;

    @BeforeEach
    void start() throws IOException {
        body = fixtureZip();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/uea/", this::serve);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/uea/");
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestURI().getPath().equals("/uea/Fixture.zip")) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            String range = ex.getRequestHeaders().getFirst("Range");
            ranges.add(String.valueOf(range));
            int from = 0;
            Matcher m = range == null ? null : Pattern.compile("bytes=(\\d+)-").matcher(range);
            if (honourRange && m != null && m.matches()) {
                from = Integer.parseInt(m.group(1));
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                ex.sendResponseHeaders(206, body.length - from);
            } else {
                ex.sendResponseHeaders(200, body.length);
            }
            OutputStream os = ex.getResponseBody();
            if (truncateNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                // send under half of what the Content-Length promised, then drop the connection
                os.write(body, from, (body.length - from) / 3);
                os.flush();
                throw new IOException("fixture server: connection closed early on purpose");
            }
            os.write(body, from, body.length - from);
        }
    }

    private UeaDownloader downloader(UeaChecksums sums, boolean require, int attempts) {
        return new UeaDownloader(new UeaDownloader.Settings(base(), dir, sums, require, Duration.ofSeconds(2),
                Duration.ofSeconds(2), attempts));
    }

    @Test
    void fullDownloadIsVerifiedMovedIntoPlaceAndExtractable() throws IOException {
        UeaChecksums sums = UeaChecksums.none().with("Fixture.zip", hex(body));
        UeaDownloader.Result r = downloader(sums, true, 3).download("Fixture");
        assertThat(r.file()).isEqualTo(dir.resolve("Fixture.zip"));
        assertThat(Files.readAllBytes(r.file())).isEqualTo(body);
        assertThat(r.verified()).isTrue();
        assertThat(r.requests()).isEqualTo(1);
        assertThat(r.resumed()).isFalse();
        assertThat(dir.resolve("Fixture.zip.part")).doesNotExist();
        assertThat(ranges).containsExactly("null");

        // a second call finds the verified file and makes no request
        assertThat(downloader(sums, true, 3).download("Fixture").requests()).isZero();
        assertThat(ranges).hasSize(1);

        List<Path> files = UeaDownloader.extractDataset(r.file(), "Fixture", dir.resolve("Fixture"));
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("Fixture_TRAIN.ts", "Fixture_TEST.ts");
        assertThat(dir.resolve("evil.ts")).doesNotExist();
        UeaRawDataset raw = UeaRawDataset.load(dir.resolve("Fixture"), "Fixture");
        assertThat(raw.size()).isEqualTo(3); // the test file repeats the first training case
        assertThat(raw.duplicates()).isEqualTo(1);
        assertThat(raw.length()).isEqualTo(4);
    }

    @Test
    void truncatedTransferResumesWithARangeRequest() throws IOException {
        truncateNext.set(1);
        UeaChecksums sums = UeaChecksums.none().with("Fixture.zip", hex(body));
        UeaDownloader.Result r = downloader(sums, false, 3).download("Fixture");
        assertThat(Files.readAllBytes(r.file())).isEqualTo(body);
        assertThat(r.requests()).isEqualTo(2);
        assertThat(r.resumed()).isTrue();
        assertThat(ranges).hasSize(2);
        assertThat(ranges.get(0)).isEqualTo("null");
        assertThat(ranges.get(1)).isEqualTo("bytes=" + body.length / 3 + "-");
    }

    @Test
    void leftoverPartFileIsResumedAndAServerIgnoringRangeRestartsIt() throws IOException {
        UeaChecksums sums = UeaChecksums.none().with("Fixture.zip", hex(body));
        Files.write(dir.resolve("Fixture.zip.part"), java.util.Arrays.copyOf(body, 1000));
        UeaDownloader.Result r = downloader(sums, false, 1).download("Fixture");
        assertThat(ranges).containsExactly("bytes=1000-");
        assertThat(r.resumed()).isTrue();
        assertThat(Files.readAllBytes(r.file())).isEqualTo(body);

        Files.delete(r.file());
        ranges.clear();
        honourRange = false;
        Files.write(dir.resolve("Fixture.zip.part"), new byte[] {9, 9, 9}); // garbage from elsewhere
        r = downloader(sums, false, 1).download("Fixture");
        assertThat(ranges).containsExactly("bytes=3-");
        assertThat(Files.readAllBytes(r.file())).isEqualTo(body);
    }

    @Test
    void checksumMismatchIsRefusedAndLeavesNoFile() {
        String wrong = hex("something else".getBytes(StandardCharsets.UTF_8));
        UeaDownloader d = downloader(UeaChecksums.none().with("Fixture.zip", wrong), true, 3);
        assertThatThrownBy(() -> d.download("Fixture")).isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining("Fixture.zip").hasMessageContaining(wrong).hasMessageContaining(hex(body));
        assertThat(dir.resolve("Fixture.zip")).doesNotExist();
        assertThat(dir.resolve("Fixture.zip.part")).doesNotExist();
    }

    @Test
    void unverifiedDownloadsAreReportedOrRefusedWhenChecksumsAreRequired() throws IOException {
        assertThatThrownBy(() -> downloader(UeaChecksums.none(), true, 3).download("Fixture"))
                .hasMessageContaining("no expected SHA-256 for Fixture.zip");
        assertThat(ranges).isEmpty();
        UeaDownloader.Result r = downloader(UeaChecksums.none(), false, 3).download("Fixture");
        assertThat(r.verified()).isFalse();
        assertThat(r.sha256()).isEqualTo(hex(body));
    }

    @Test
    void persistentTruncationGivesUpKeepingThePartFile() {
        truncateNext.set(10);
        assertThatThrownBy(() -> downloader(UeaChecksums.none(), false, 2).download("Fixture"))
                .hasMessageContaining("giving up").hasMessageContaining("run again to resume");
        assertThat(dir.resolve("Fixture.zip")).doesNotExist();
        assertThat(dir.resolve("Fixture.zip.part")).exists();
        assertThat(ranges).hasSize(2);
    }

    @Test
    void unreachableHostSaysOffline() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        UeaDownloader d = new UeaDownloader(new UeaDownloader.Settings(URI.create("http://127.0.0.1:" + port + "/"), dir,
                UeaChecksums.none(), false, Duration.ofSeconds(2), Duration.ofSeconds(2), 3));
        assertThatThrownBy(() -> d.download("Fixture")).hasMessageContaining("cannot reach 127.0.0.1:" + port)
                .hasMessageContaining("(offline?)");
    }

    @Test
    void aNotFoundIsNotRetriedAndNamesNoPartFile() {
        assertThatThrownBy(() -> downloader(UeaChecksums.none(), false, 5).download("Missing"))
                .hasMessageContaining("HTTP 404").hasMessageNotContaining(".part");
        assertThat(dir.resolve("Missing.zip.part")).doesNotExist();
        assertThat(dir.resolve("Missing.zip")).doesNotExist();
    }

    @Test
    void aDownloadThatIsNotAWholeZipIsDeletedAndAnEarlierBrokenFileIsFetchedAgain() throws IOException {
        byte[] whole = body;
        body = java.util.Arrays.copyOf(whole, whole.length / 2); // the server itself sends half a zip
        assertThatThrownBy(() -> downloader(UeaChecksums.none(), false, 2).download("Fixture"))
                .hasMessageContaining("not a valid zip").hasMessageContaining("deleted");
        assertThat(dir.resolve("Fixture.zip")).doesNotExist();
        assertThat(dir.resolve("Fixture.zip.part")).doesNotExist();
        // a truncated file left in place by an older version is not reused without a request
        Files.write(dir.resolve("Fixture.zip"), body);
        body = whole;
        UeaDownloader.Result r = downloader(UeaChecksums.none(), false, 2).download("Fixture");
        assertThat(r.requests()).isEqualTo(1);
        assertThat(Files.readAllBytes(r.file())).isEqualTo(whole);
    }

    @Test
    void zipSlipEntriesAndAMissingSplitAreErrors() throws IOException {
        Path evil = dir.resolve("evil.zip");
        Files.write(evil, fixtureZip(false, true));
        assertThatThrownBy(() -> UeaDownloader.extractDataset(evil, "Fixture", dir.resolve("out")))
                .hasMessageContaining("../../Fixture_TEST.ts").hasMessageContaining("outside");
        assertThat(dir.resolve("Fixture_TEST.ts")).doesNotExist();
        Path half = dir.resolve("half.zip");
        Files.write(half, fixtureZip(false, false));
        assertThatThrownBy(() -> UeaDownloader.extractDataset(half, "Fixture", dir.resolve("out2")))
                .hasMessageContaining("Fixture_TEST");
        assertThat(dir.resolve("out2/Fixture_TRAIN.ts")).doesNotExist();
    }

    @Test
    void checksumTablesValidateTheirValues() throws IOException {
        Path props = dir.resolve("sums.properties");
        Files.writeString(props, "A.zip=" + "AB".repeat(32) + "\nB.zip=nothex\n");
        assertThatThrownBy(() -> UeaChecksums.load(props)).hasMessageContaining("sums.properties")
                .hasMessageContaining("B.zip");
        Files.writeString(props, "A.zip=" + "AB".repeat(32) + "\n");
        assertThat(UeaChecksums.load(props).expected("A.zip")).contains("ab".repeat(32));
        assertThat(UeaDownloader.PAPER_DATASETS).hasSize(6).contains("EigenWorms", "SelfRegulationSCP2");
        assertThatThrownBy(() -> downloader(UeaChecksums.none(), false, 1).download("../x"))
                .hasMessageContaining("'../x'");
    }

    private static byte[] fixtureZip() throws IOException {
        return fixtureZip(true, false);
    }

    private static byte[] fixtureZip(boolean test, boolean evil) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("Fixture/Fixture_TRAIN.ts"));
            zip.write(TRAIN.getBytes(StandardCharsets.UTF_8));
            if (test) {
                zip.putNextEntry(new ZipEntry("Fixture/Fixture_TEST.ts"));
                zip.write(TEST.getBytes(StandardCharsets.UTF_8));
            }
            if (evil) {
                zip.putNextEntry(new ZipEntry("../../Fixture_TEST.ts"));
                zip.write(TEST.getBytes(StandardCharsets.UTF_8));
            }
            ZipEntry noise = new ZipEntry("Fixture/noise.bin"); // incompressible bulk, so truncation lands mid-file
            zip.putNextEntry(noise);
            Rng rng = Rng.seeded(77);
            byte[] b = new byte[200_000];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) rng.nextInt32();
            }
            zip.write(b);
        }
        return bytes.toByteArray();
    }

    private static String hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
