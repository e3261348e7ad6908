package org.lincde.harness.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.spi.ElementType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterSet;

/**
 * Malformed and mismatched safetensors files: each is refused with one message naming the file and the
 * key or byte offset at fault; a well-formed file round-trips exactly.
 */
class SafetensorsMalformedTest {
    @TempDir
    Path dir;

    /** A file with an 8-byte little-endian {@code headerLength}, {@code header} and {@code data}. */
    private Path file(long headerLength, String header, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength).array());
        b.write(header.getBytes(StandardCharsets.UTF_8));
        b.write(data);
        Path p = dir.resolve("w.safetensors");
        Files.write(p, b.toByteArray());
        return p;
    }

    private Path file(String header, byte[] data) throws IOException {
        return file(header.getBytes(StandardCharsets.UTF_8).length, header, data);
    }

    private static byte[] doubles(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            b.putDouble(x);
        }
        return b.array();
    }

    @Test
    void badHeaderLengthNamesByteOffsetZero() throws IOException {
        Path p = file(1L << 40, "{}", new byte[0]);
        assertThatThrownBy(() -> Safetensors.read(p)).isInstanceOf(Safetensors.SafetensorsException.class)
                .hasMessageContaining(p.toString())
                .hasMessageContaining("bad header length 1099511627776 at byte offset 0");
        Path longer = file(500, "{}", new byte[0]);
        assertThatThrownBy(() -> Safetensors.read(longer)).hasMessageContaining("bad header length 500 at byte offset 0")
                .hasMessageContaining("file has 2 bytes after the length field");
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> Safetensors.read(tiny)).hasMessageContaining("file is 3 bytes");
        Path garbage = file("{\"a\": ", new byte[0]);
        assertThatThrownBy(() -> Safetensors.read(garbage)).hasMessageContaining("header at byte offset 8 is not valid JSON");
    }

    @Test
    void offsetsOutOfRangeNameTheKeyAndTheDataSection() throws IOException {
        String header = "{\"linear.bias\":{\"dtype\":\"F64\",\"shape\":[4],\"data_offsets\":[0,32]}}";
        Path p = file(header, doubles(1, 2));
        int start = 8 + header.length();
        assertThatThrownBy(() -> Safetensors.read(p))
                .hasMessageContaining("tensor 'linear.bias' data_offsets [0, 32] are out of range")
                .hasMessageContaining("the data section has 16 bytes (it starts at byte offset " + start + ")");
        Path sizes = file("{\"linear.bias\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,16]}}", doubles(1, 2));
        assertThatThrownBy(() -> Safetensors.read(sizes))
                .hasMessageContaining("tensor 'linear.bias' of shape [3] and dtype F64 needs 24 bytes but data_offsets span 16");
    }

    @Test
    void unknownDtypeNamesTheKeyAndTheSupportedOnes() throws IOException {
        Path p = file("{\"embedding.weight\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", new byte[4]);
        assertThatThrownBy(() -> Safetensors.read(p))
                .hasMessageContaining("tensor 'embedding.weight' has unsupported dtype 'BF16'")
                .hasMessageContaining("F32, F64, BOOL, I64");
        Path notAnObject = file("{\"embedding.weight\": 5}", new byte[0]);
        assertThatThrownBy(() -> Safetensors.read(notAnObject))
                .hasMessageContaining("tensor 'embedding.weight' in the header at byte offset 8 must be an object");
    }

    @Test
    void missingKeyWrongShapeAndExtraKeyAreNamedWhenConforming() {
        ParameterSet expected = new ParameterSet()
                .put("linear.weight", HostTensor.of(new double[6], 2, 3))
                .put("linear.bias", HostTensor.of(new double[2], 2));
        ParameterSet missing = new ParameterSet().put("linear.weight", HostTensor.of(new double[6], 2, 3));
        assertThatThrownBy(() -> Safetensors.conform("w.safetensors", missing, expected))
                .hasMessage("w.safetensors: missing key 'linear.bias' (shape [2])");
        ParameterSet wrong = new ParameterSet()
                .put("linear.weight", HostTensor.of(new double[6], 3, 2))
                .put("linear.bias", HostTensor.of(new double[2], 2));
        assertThatThrownBy(() -> Safetensors.conform("w.safetensors", wrong, expected))
                .hasMessage("w.safetensors: key 'linear.weight' has shape [3, 2], the model needs [2, 3]");
        ParameterSet extra = expected.copy().put("linear.scale", HostTensor.of(new double[1], 1));
        assertThatThrownBy(() -> Safetensors.conform("w.safetensors", extra, expected))
                .hasMessageContaining("unexpected key 'linear.scale'");
    }

    @Test
    void aWrittenFileReadsBackExactlyWithRolesAndTypes() throws IOException {
        ParameterSet p = new ParameterSet()
                .put("blocks.0.LCDE.vf_A.weight", HostTensor.of(new double[] {0.1, -2.5, 1e-300, Math.PI}, 2, 2))
                .put("blocks.0.LCDE.mask", HostTensor.of(ElementType.BOOL, new double[] {1, 0, 0, 1}, 2, 2),
                        ParameterSet.Role.BUFFER);
        Path f = dir.resolve("rt.safetensors");
        Safetensors.write(f, p, ElementType.FLOAT64);
        assertThat(Safetensors.read(f).sameAs(p)).isTrue();
        Safetensors.write(f, p, ElementType.FLOAT32);
        ParameterSet r = Safetensors.read(f);
        assertThat(r.get("blocks.0.LCDE.vf_A.weight").data()).containsExactly((float) 0.1, -2.5, 0.0, (float) Math.PI);
        assertThat(r.entry("blocks.0.LCDE.mask").role()).isEqualTo(ParameterSet.Role.BUFFER);
        // the data section starts 8-byte aligned (the header is padded with spaces)
        long n = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(n % 8).isZero();
    }
}
