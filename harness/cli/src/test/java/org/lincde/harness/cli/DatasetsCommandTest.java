package org.lincde.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.harness.data.uea.UeaRawDataset;
import org.lincde.harness.uea.UeaDataLocator;
import picocli.CommandLine;

/** {@code lincde datasets fetch uea} against an HttpServer on 127.0.0.1 only. */
@Timeout(30)
class DatasetsCommandTest {
    private static final String TS = "@problemName Fixture\n@dimensions 2\n@classLabel true a b\n@data\n"
            + "1,2,3:4,5,6:a\n7,8,9:9,10,11:b\n";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return run(new DatasetsCommand(), args);
    }

    private int run(DatasetsCommand command, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void fetchesAndUnpacksIntoOneFolderPerDataset() throws IOException {
        byte[] zip = zip("Fixture/Fixture_TRAIN.ts", TS, "Fixture/Fixture_TEST.ts", TS.replace("7,8,9", "0,8,9"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/uea/", ex -> {
            try (ex) {
                if (!ex.getRequestURI().getPath().equals("/uea/Fixture.zip")) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                ex.sendResponseHeaders(200, zip.length);
                ex.getResponseBody().write(zip);
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/uea";
            int code = run("fetch", "uea", "--url", base, "--dir", dir.toString(), "--names", "Fixture");
            assertThat(code).as(err.toString()).isZero();
        } finally {
            server.stop(0);
        }
        assertThat(dir.resolve("Fixture/Fixture_TRAIN.ts")).exists();
        assertThat(out.toString()).contains("Fixture").contains("unchecked").contains("1 of 1 datasets")
                .contains("Fixture.zip=" + org.lincde.harness.data.uea.UeaDownloader.sha256(dir.resolve("downloads/Fixture.zip")));
        UeaRawDataset raw = UeaRawDataset.load(dir.resolve("Fixture"), "Fixture");
        assertThat(raw.size()).isEqualTo(3); // the first case repeats in both files: deduplicated
        assertThat(raw.duplicates()).isEqualTo(1);
        assertThat(raw.channels()).isEqualTo(2);
    }

    @Test
    void offlineFailsWithAClearMessageAndExitCodeOne() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: connections are refused
        }
        int code = run("fetch", "uea", "--url", "http://127.0.0.1:" + port + "/uea/", "--dir", dir.toString(),
                "--names", "Heartbeat");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("Heartbeat").contains("offline").contains("by hand")
                .contains(dir.resolve("Heartbeat").toString());
        assertThat(out.toString()).contains("0 of 1 datasets");
    }

    @Test
    void withoutNamesItFetchesExactlyWhatTheReportLacks() throws IOException {
        // four of the six paper datasets are already in the folder; BasicMotions and JapaneseVowels ship with lincde
        List<String> present = List.of("EigenWorms", "EthanolConcentration", "Heartbeat", "SelfRegulationSCP1");
        for (String name : present) {
            writeDataset(name);
        }
        DatasetsCommand command = new DatasetsCommand(d -> new UeaDataLocator(List.of(dir), true));
        assertThat(DatasetsCommand.missing(new UeaDataLocator(List.of(dir), true)))
                .containsExactly("MotorImagery", "SelfRegulationSCP2");
        assertThat(DatasetsCommand.missing(new UeaDataLocator(List.of(dir), false)))
                .containsExactly("MotorImagery", "SelfRegulationSCP2", "BasicMotions", "JapaneseVowels");
        List<String> requested = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/uea/", ex -> {
            try (ex) {
                String file = ex.getRequestURI().getPath().substring("/uea/".length());
                requested.add(file);
                String name = file.replace(".zip", "");
                byte[] zip = zip(name + "/" + name + "_TRAIN.ts", TS, name + "/" + name + "_TEST.ts",
                        TS.replace("7,8,9", "0,8,9"));
                ex.sendResponseHeaders(200, zip.length);
                ex.getResponseBody().write(zip);
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/uea/";
            int code = run(command, "fetch", "uea", "--url", base, "--dir", dir.toString());
            assertThat(code).as(err.toString()).isZero();
        } finally {
            server.stop(0);
        }
        assertThat(requested).containsExactly("MotorImagery.zip", "SelfRegulationSCP2.zip");
        assertThat(out.toString()).contains("The report lacks 2 UEA datasets: MotorImagery, SelfRegulationSCP2")
                .contains("2 of 2 datasets").contains("unchecked").contains("MotorImagery.zip=");
        assertThat(dir.resolve("SelfRegulationSCP2/SelfRegulationSCP2_TEST.ts")).exists();
        assertThat(DatasetsCommand.missing(new UeaDataLocator(List.of(dir), true))).isEmpty();
    }

    @Test
    void withNothingMissingItDownloadsNothing() throws IOException {
        for (String name : List.of("EigenWorms", "EthanolConcentration", "Heartbeat", "MotorImagery",
                "SelfRegulationSCP1", "SelfRegulationSCP2")) {
            writeDataset(name);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed: any download attempt would fail
        }
        int code = run(new DatasetsCommand(d -> new UeaDataLocator(List.of(dir), true)), "fetch", "uea", "--url",
                "http://127.0.0.1:" + port + "/uea/", "--dir", dir.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Nothing to fetch").contains("--names");
        assertThat(err.toString()).isEmpty();
    }

    private void writeDataset(String name) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve(name + "_TRAIN.ts"), TS);
        Files.writeString(d.resolve(name + "_TEST.ts"), TS);
    }

    @Test
    void anUnknownCollectionIsRefused() {
        int code = run("fetch", "ucr", "--dir", dir.toString());
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("ucr").contains("uea");
        assertThat(Files.exists(dir.resolve("downloads"))).isFalse();
    }

    private static byte[] zip(String... nameContent) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (int i = 0; i < nameContent.length; i += 2) {
                z.putNextEntry(new ZipEntry(nameContent[i]));
                z.write(nameContent[i + 1].getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
