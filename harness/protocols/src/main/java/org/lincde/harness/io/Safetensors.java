package org.lincde.harness.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lincde.spi.ElementType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Shapes;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length {@code N}, {@code N}
 * bytes of JSON mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}}
 * (offsets into the data section that follows), then the row-major little-endian data. Supported
 * dtypes: F32, F64, BOOL (one byte), I64. Names are the authors' PyTorch state-dict keys, so files
 * move between lincde and {@code safetensors.torch.load_file}/{@code save_file}.
 *
 * <p>Reading validates everything and fails with one message naming the file and the key or byte
 * offset at fault. Writing is atomic: a temporary file in the same folder, then a rename.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The header reader: a duplicate tensor name or anything after the header object is an error. */
    private static final ObjectMapper STRICT = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final long MAX_HEADER = 100L * 1024 * 1024;

    private Safetensors() {}

    /** The on-disk dtype name of an element type. */
    static String dtypeName(ElementType t) {
        switch (t) {
            case FLOAT32: return "F32";
            case FLOAT64: return "F64";
            case BOOL: return "BOOL";
            case INT64: return "I64";
            default: throw new IllegalArgumentException(t.toString());
        }
    }

    static int byteSize(String dtype) {
        switch (dtype) {
            case "F32": return 4;
            case "F64": case "I64": return 8;
            case "BOOL": return 1;
            default: return -1;
        }
    }

    /**
     * Writes {@code params} to {@code path}. Floating tensors are written as {@code floatType}
     * (FLOAT32 for the authors' float32 models, FLOAT64 to keep the reference's state exactly);
     * BOOL and INT64 tensors keep their type. Roles are recorded in the {@code __metadata__}.
     */
    public static void write(Path path, ParameterSet params, ElementType floatType) throws IOException {
        write(path, params, floatType, Map.of());
    }

    /**
     * As {@link #write(Path, ParameterSet, ElementType)}, with {@code extra} string entries in the header's
     * {@code __metadata__} (keys must not start with {@code lincde.buffer.}); {@link #metadata} reads them back.
     */
    public static void write(Path path, ParameterSet params, ElementType floatType, Map<String, String> extra)
            throws IOException {
        if (floatType != ElementType.FLOAT32 && floatType != ElementType.FLOAT64) {
            throw new IllegalArgumentException("float type must be FLOAT32 or FLOAT64, got " + floatType);
        }
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        meta.put("format", "pt");
        meta.put("writer", "lincde");
        extra.forEach((k, v) -> {
            if (k.startsWith("lincde.buffer.") || k.equals("format") || k.equals("writer")) {
                throw new IllegalArgumentException("reserved metadata key '" + k + "'");
            }
            meta.put(k, v);
        });
        long offset = 0;
        Map<String, String> types = new LinkedHashMap<>();
        for (ParameterSet.Entry e : params.entries()) {
            ElementType t = e.tensor().type();
            String dtype = dtypeName(t == ElementType.FLOAT32 || t == ElementType.FLOAT64 ? floatType : t);
            types.put(e.name(), dtype);
            long bytes = (long) e.tensor().size() * byteSize(dtype);
            ObjectNode entry = header.putObject(e.name());
            entry.put("dtype", dtype);
            ArrayNode shape = entry.putArray("shape");
            for (int d : e.tensor().shape()) {
                shape.add(d);
            }
            ArrayNode offs = entry.putArray("data_offsets");
            offs.add(offset);
            offs.add(offset + bytes);
            offset += bytes;
            if (!e.trainable()) {
                meta.put("lincde.buffer." + e.name(), "true");
            }
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int pad = (8 - json.length % 8) % 8; // align the data section to 8 bytes, padding with spaces
        byte[] headerBytes = Arrays.copyOf(json, json.length + pad);
        Arrays.fill(headerBytes, json.length, headerBytes.length, (byte) ' ');
        AtomicFiles.write(path, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length);
            out.write(len.array());
            out.write(headerBytes);
            for (ParameterSet.Entry e : params.entries()) {
                writeData(out, e.tensor(), types.get(e.name()));
            }
        });
    }

    private static void writeData(OutputStream out, HostTensor t, String dtype) throws IOException {
        double[] d = t.data();
        ByteBuffer buf = ByteBuffer.allocate(d.length * byteSize(dtype)).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : d) {
            switch (dtype) {
                case "F32": buf.putFloat((float) v); break;
                case "F64": buf.putDouble(v); break;
                case "I64": buf.putLong((long) v); break;
                case "BOOL": buf.put((byte) (v != 0 ? 1 : 0)); break;
                default: throw new IllegalStateException(dtype);
            }
        }
        out.write(buf.array());
    }

    /** The string entries of the header's {@code __metadata__} of {@code path} (empty if it has none). */
    public static Map<String, String> metadata(Path path) throws IOException {
        byte[] head;
        try (var in = Files.newInputStream(path)) {
            byte[] len = in.readNBytes(8);
            if (len.length < 8) {
                throw new SafetensorsException(path + ": file is " + len.length + " bytes, shorter than the 8-byte "
                        + "header length");
            }
            long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n <= 0 || n > MAX_HEADER) {
                throw new SafetensorsException(path + ": bad header length " + n + " at byte offset 0");
            }
            head = in.readNBytes((int) n);
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(head, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(path + ": header at byte offset 8 is not valid JSON: " + e.getOriginalMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode meta = header == null ? null : header.get("__metadata__");
        if (meta != null && meta.isObject()) {
            meta.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    /**
     * Reads every tensor of {@code path}, in file order. Tensors listed as buffers in the metadata
     * come back as {@link ParameterSet.Role#BUFFER}; FLOAT32 values come back exactly (as doubles).
     */
    public static ParameterSet read(Path path) throws IOException {
        String file = path.toString();
        if (Files.isDirectory(path) || (Files.exists(path) && !Files.isRegularFile(path))) {
            // a FIFO would block the read forever
            throw new SafetensorsException(file + ": not a regular file");
        }
        if (Files.exists(path) && Files.size(path) > Integer.MAX_VALUE - 64) {
            throw new SafetensorsException(file + ": " + Files.size(path) + " bytes; lincde reads safetensors files "
                    + "below 2 GiB");
        }
        byte[] bytes = Files.readAllBytes(path);
        if (bytes.length < 8) {
            throw new SafetensorsException(file + ": file is " + bytes.length + " bytes, shorter than the 8-byte header length");
        }
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n <= 0 || n > MAX_HEADER || n > bytes.length - 8) {
            throw new SafetensorsException(file + ": bad header length " + n + " at byte offset 0 (file has "
                    + (bytes.length - 8) + " bytes after the length field)");
        }
        JsonNode header;
        String headerText;
        try {
            headerText = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 8, (int) n)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new SafetensorsException(file + ": header at byte offset 8 is not UTF-8 text");
        }
        try {
            header = STRICT.readTree(headerText);
        } catch (JsonProcessingException e) {
            String m = String.valueOf(e.getOriginalMessage());
            throw new SafetensorsException(file + ": header at byte offset 8 is not valid JSON"
                    + (m.contains("Duplicate field") ? " (a tensor name appears twice)" : "") + ": "
                    + m.lines().findFirst().orElse(""));
        }
        if (header == null || !header.isObject()) {
            throw new SafetensorsException(file + ": header at byte offset 8 is not a JSON object");
        }
        long dataStart = 8 + n;
        long dataLength = bytes.length - dataStart;
        JsonNode meta = header.get("__metadata__");
        if (meta != null && !meta.isObject()) {
            throw new SafetensorsException(file + ": \"__metadata__\" in the header must be an object of strings, got "
                    + meta.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
        }
        ParameterSet out = new ParameterSet();
        java.util.TreeMap<Long, java.util.List<Object[]>> spans = new java.util.TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = header.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (name.equals("__metadata__")) {
                continue;
            }
            JsonNode entry = e.getValue();
            if (!entry.isObject() || !entry.path("dtype").isTextual()) {
                throw new SafetensorsException(file + ": tensor '" + name + "' in the header at byte offset 8 must be "
                        + "an object with a text \"dtype\", a \"shape\" and \"data_offsets\", got " + entry);
            }
            String dtype = entry.path("dtype").asText("");
            int size = byteSize(dtype);
            if (size < 0) {
                throw new SafetensorsException(file + ": tensor '" + name + "' has unsupported dtype '" + dtype
                        + "' (lincde reads F32, F64, BOOL, I64)");
            }
            JsonNode shapeNode = entry.get("shape");
            JsonNode offs = entry.get("data_offsets");
            if (shapeNode == null || !shapeNode.isArray() || offs == null || !offs.isArray() || offs.size() != 2) {
                throw new SafetensorsException(file + ": tensor '" + name + "' lacks a shape or a [begin, end] data_offsets");
            }
            int[] shape = new int[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = shapeNode.get(i);
                if (!d.isIntegralNumber() || !d.canConvertToInt() || d.asInt() < 0) {
                    throw new SafetensorsException(file + ": tensor '" + name + "' has a bad shape " + shapeNode);
                }
                shape[i] = d.asInt();
            }
            if (!offs.get(0).isIntegralNumber() || !offs.get(1).isIntegralNumber()
                    || !offs.get(0).canConvertToLong() || !offs.get(1).canConvertToLong()) {
                throw new SafetensorsException(file + ": tensor '" + name + "' data_offsets must be two integers, got "
                        + offs);
            }
            long begin = offs.get(0).asLong(-1);
            long end = offs.get(1).asLong(-1);
            if (begin < 0 || end < begin || end > dataLength) {
                throw new SafetensorsException(file + ": tensor '" + name + "' data_offsets [" + begin + ", " + end
                        + "] are out of range: the data section has " + dataLength + " bytes (it starts at byte offset "
                        + dataStart + ")");
            }
            long count;
            try {
                count = 1;
                for (int d : shape) {
                    count = Math.multiplyExact(count, (long) d);
                }
                Math.multiplyExact(count, (long) size);
            } catch (ArithmeticException overflow) {
                throw new SafetensorsException(file + ": tensor '" + name + "' has a shape " + Arrays.toString(shape)
                        + " too large to hold");
            }
            spans.computeIfAbsent(begin, k -> new java.util.ArrayList<>()).add(new Object[] {name, end});
            if (count * size != end - begin) {
                throw new SafetensorsException(file + ": tensor '" + name + "' of shape " + Arrays.toString(shape) + " and dtype "
                        + dtype + " needs " + count * size + " bytes but data_offsets span " + (end - begin));
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes, (int) (dataStart + begin), (int) (end - begin))
                    .order(ByteOrder.LITTLE_ENDIAN);
            double[] values = new double[(int) count];
            for (int i = 0; i < values.length; i++) {
                switch (dtype) {
                    case "F32": values[i] = buf.getFloat(); break;
                    case "F64": values[i] = buf.getDouble(); break;
                    case "I64": values[i] = buf.getLong(); break;
                    default: values[i] = buf.get() != 0 ? 1 : 0; break;
                }
            }
            ElementType type = dtype.equals("F32") ? ElementType.FLOAT32 : dtype.equals("F64") ? ElementType.FLOAT64
                    : dtype.equals("I64") ? ElementType.INT64 : ElementType.BOOL;
            boolean buffer = type == ElementType.BOOL
                    || (meta != null && "true".equals(meta.path("lincde.buffer." + name).asText()));
            out.put(name, HostTensor.of(type, values, shape), buffer ? ParameterSet.Role.BUFFER : ParameterSet.Role.TRAINABLE);
        }
        checkLayout(file, spans, dataLength, dataStart);
        return out;
    }

    /**
     * The data section must be exactly the tensors' bytes, each once: sorted by their begin offsets, each tensor
     * starts where the previous one ended, the first at 0, and the last ends at the end of the file (no overlap,
     * no gap, no trailing bytes), as the format's reference implementation requires.
     */
    private static void checkLayout(String file, java.util.TreeMap<Long, java.util.List<Object[]>> spans,
                                    long dataLength, long dataStart) {
        long expected = 0;
        String previous = null;
        for (Map.Entry<Long, java.util.List<Object[]>> e : spans.entrySet()) {
            // zero-byte tensors may share an offset with the tensor that follows them
            java.util.List<Object[]> at = new java.util.ArrayList<>(e.getValue());
            at.sort(java.util.Comparator.comparingLong(o -> (Long) o[1]));
            for (Object[] t : at) {
                long begin = e.getKey();
                long end = (Long) t[1];
                if (begin != expected) {
                    throw new SafetensorsException(file + ": tensor '" + t[0] + "' data_offsets [" + begin + ", " + end
                            + "] " + (begin < expected ? "overlap" : "leave a gap after") + " "
                            + (previous == null ? "the start of the data section" : "tensor '" + previous + "'")
                            + " (expected it to begin at " + expected + ")");
                }
                expected = end;
                previous = (String) t[0];
            }
        }
        if (expected != dataLength) {
            throw new SafetensorsException(file + ": " + (dataLength - expected) + " trailing bytes after the last "
                    + "tensor's data (byte offset " + (dataStart + expected) + " of " + (dataStart + dataLength) + ")");
        }
    }

    /**
     * Checks {@code loaded} against what a model declares: every expected name present with the
     * expected shape (one message naming the key and both shapes), nothing extra.
     */
    public static ParameterSet conform(String file, ParameterSet loaded, ParameterSet expected) {
        ParameterSet out = new ParameterSet();
        for (ParameterSet.Entry e : expected.entries()) {
            if (!loaded.contains(e.name())) {
                throw new SafetensorsException(file + ": missing key '" + e.name() + "' (shape "
                        + Arrays.toString(e.tensor().shape()) + ")");
            }
            HostTensor t = loaded.get(e.name());
            boolean wantFloat = e.tensor().type() == ElementType.FLOAT32 || e.tensor().type() == ElementType.FLOAT64;
            boolean haveFloat = t.type() == ElementType.FLOAT32 || t.type() == ElementType.FLOAT64;
            boolean wantInt = e.tensor().type() == ElementType.INT64;
            if ((wantFloat && !haveFloat) || (wantInt && t.type() != ElementType.INT64)) {
                // the same bytes read as another dtype are other numbers (F64 read as I64 changes every value)
                throw new SafetensorsException(file + ": key '" + e.name() + "' has dtype " + dtypeName(t.type())
                        + ", the model needs " + (wantFloat ? "F32 or F64" : "I64"));
            }
            if (!Arrays.equals(t.shape(), e.tensor().shape())) {
                throw new SafetensorsException(file + ": key '" + e.name() + "' has shape " + Arrays.toString(t.shape())
                        + ", the model needs " + Arrays.toString(e.tensor().shape()));
            }
            out.put(e.name(), HostTensor.of(e.tensor().type() == ElementType.BOOL ? ElementType.BOOL : t.type(),
                    t.data(), t.shape()), e.role());
        }
        for (String name : loaded.names()) {
            if (!expected.contains(name)) {
                throw new SafetensorsException(file + ": unexpected key '" + name + "' (the model has "
                        + expected.names() + ")");
            }
        }
        return out;
    }

    /** A malformed or mismatched safetensors file. */
    public static final class SafetensorsException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        SafetensorsException(String message) {
            super(message);
        }
    }
}
