package lanes.layers.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lanes.engine.Tensor;

/**
 * The safetensors format, as PyTorch's and Hugging Face's tools read and write it: named tensors and string
 * metadata, no code.
 *
 * <pre>
 *   header length   uint64, little-endian: N
 *   header          N bytes of UTF-8 JSON, padded with spaces:
 *                     {"__metadata__": {"key": "value", ...},
 *                      "0.weight": {"dtype": "F32", "shape": [6, 1, 5, 5], "data_offsets": [0, 600]}, ...}
 *   data            the tensors' bytes, little-endian, row-major; data_offsets [begin, end) count from here and
 *                   together cover the data exactly: no gaps, no overlaps
 * </pre>
 *
 * This class writes {@code F32} and reads {@code F32}, {@code F16} and {@code BF16} (converted to float exactly:
 * every half and bfloat16 value is a float). Reading checks everything the format promises before it returns: the
 * header length against the file, UTF-8, the JSON, each entry's fields, each tensor's byte count against its shape
 * and dtype, and that the offsets tile the data. A file that breaks any of it gets an {@link IOException} naming
 * the file, the tensor and the values.
 */
public final class Safetensors {
    /** The metadata key of the entries' names in this format. */
    static final String METADATA = "__metadata__";
    /** Headers are refused beyond this size: the format's own readers set the same limit. */
    static final long MAX_HEADER = 100L << 20;

    private Safetensors() {
    }

    /**
     * A file's contents.
     *
     * @param metadata the {@code __metadata__} entries (empty if there are none)
     * @param tensors  the tensors by name, in the order of their data in the file
     */
    public record Contents(Map<String, String> metadata, Map<String, Tensor> tensors) {
    }

    /**
     * True if {@code bytes} (a file's first bytes, at least 9) look like a safetensors file: a header length that
     * fits the file, then an opening brace.
     *
     * @param bytes the file's first bytes
     * @param fileSize the file's size
     * @return true if it may be safetensors
     */
    public static boolean looksLike(byte[] bytes, long fileSize) {
        if (bytes.length < 9) {
            return false;
        }
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return n > 1 && n <= fileSize - 8 && bytes[8] == '{';
    }

    /**
     * Writes {@code tensors} as {@code F32} with {@code metadata} to {@code file}, atomically.
     *
     * @param file the file
     * @param metadata string entries stored under {@code __metadata__}
     * @param tensors the tensors by name, written in this order; not modified
     * @throws IOException if the file cannot be written; the old file, if any, is left as it was
     */
    public static void write(Path file, Map<String, String> metadata, Map<String, Tensor> tensors)
            throws IOException {
        StringBuilder header = new StringBuilder("{");
        header.append(JsonText.quote(METADATA)).append(":{");
        String sep = "";
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            header.append(sep).append(JsonText.quote(e.getKey())).append(':').append(JsonText.quote(e.getValue()));
            sep = ",";
        }
        header.append('}');
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA)) {
                throw new IllegalArgumentException("safetensors: a tensor cannot be named " + METADATA);
            }
            Tensor t = e.getValue();
            long bytes = 4L * t.size();
            header.append(',').append(JsonText.quote(e.getKey())).append(":{\"dtype\":\"F32\",\"shape\":")
                    .append(Arrays.toString(t.shape()).replace(" ", "")).append(",\"data_offsets\":[")
                    .append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        header.append('}');
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;       // the data starts 8-byte aligned, as the format's writers do
        long total = 8L + padded + offset;
        if (total > ModelFile.MAX_BYTES) {
            throw new IllegalArgumentException("safetensors: " + total + " bytes is more than this writer handles");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        for (Tensor t : tensors.values()) {
            for (float v : t.toArray()) {
                out.putFloat(v);
            }
        }
        ModelFile.writeAtomically(file, out.array());
    }

    /**
     * Reads a safetensors file, checked throughout.
     *
     * @param file the file
     * @return its metadata and tensors
     * @throws IOException if the file cannot be read or breaks the format, naming the file and what is wrong
     */
    public static Contents read(Path file) throws IOException {
        return parse(file.toString(), ModelFile.readAll(file));
    }

    /**
     * Parses the bytes of a safetensors file; {@code source} names it in messages.
     *
     * @param source the file's name in messages
     * @param all the file's bytes
     * @return its metadata and tensors
     * @throws IOException if the bytes break the format
     */
    public static Contents parse(String source, byte[] all) throws IOException {
        if (all.length < 8) {
            throw new IOException(source + ": truncated: " + all.length
                    + " bytes; a safetensors file starts with an 8-byte header length");
        }
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 2 || n > all.length - 8L || n > MAX_HEADER) {
            throw new IOException(source + ": not a safetensors file, or truncated: its header length is " + n
                    + " but the file has " + (all.length - 8L) + " bytes after it");
        }
        String text;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(all, 8, (int) n));
            text = chars.toString();
        } catch (CharacterCodingException e) {
            throw new IOException(source + ": the safetensors header is not UTF-8 text", e);
        }
        if (!text.startsWith("{")) {
            throw new IOException(source + ": not a safetensors file: its header does not start with '{'");
        }
        Object parsed;
        try {
            parsed = JsonText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": the safetensors header is not valid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> header)) {
            throw new IOException(source + ": the safetensors header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA)) {
                if (!(e.getValue() instanceof Map<?, ?> m)) {
                    throw new IOException(source + ": " + METADATA + " is not an object of strings");
                }
                for (Map.Entry<?, ?> kv : m.entrySet()) {
                    if (!(kv.getValue() instanceof String v)) {
                        throw new IOException(source + ": metadata \"" + kv.getKey() + "\" is not a string: "
                                + kv.getValue());
                    }
                    metadata.put((String) kv.getKey(), v);
                }
            } else {
                entries.add(Entry.of(source, name, e.getValue()));
            }
        }
        long dataBytes = all.length - 8L - n;
        entries.sort(Comparator.comparingLong(Entry::begin));
        long expected = 0;
        for (Entry e : entries) {
            if (e.begin != expected) {
                throw new IOException(source + ": tensor \"" + e.name + "\" starts at byte " + e.begin + " of the data"
                        + (e.begin > expected ? ", leaving a gap after byte "
                        : ", overlapping the tensor before it, which ends at ")
                        + expected);
            }
            expected = e.end;
        }
        if (expected != dataBytes) {
            throw new IOException(source + ": the tensors cover " + expected + " bytes of data but the file has "
                    + dataBytes + (expected > dataBytes ? " (truncated)" : " (trailing bytes)"));
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        ByteBuffer data = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int start = (int) (8 + n);
        for (Entry e : entries) {
            tensors.put(e.name, e.decode(data, start));
        }
        return new Contents(metadata, tensors);
    }

    /** One header entry, checked: its dtype, shape and the byte range that shape and dtype need. */
    private record Entry(String name, String dtype, int[] shape, long begin, long end) {
        static Entry of(String source, String name, Object value) throws IOException {
            String where = source + ": tensor \"" + name + "\"";
            if (!(value instanceof Map<?, ?> m)) {
                throw new IOException(where + " is not an object with dtype, shape and data_offsets");
            }
            for (Object key : m.keySet()) {
                if (!List.of("dtype", "shape", "data_offsets").contains(key)) {
                    throw new IOException(where + " has an unknown field \"" + key + "\"");
                }
            }
            if (!(m.get("dtype") instanceof String dtype)) {
                throw new IOException(where + " has no dtype");
            }
            int size = switch (dtype) {
                case "F32" -> 4;
                case "F16", "BF16" -> 2;
                default -> throw new IOException(where + " has dtype " + dtype
                        + "; Lanes reads F32, F16 and BF16 (save the weights as float32)");
            };
            long[] dims = integers(where + "'s shape", m.get("shape"), -1);
            long[] offsets = integers(where + "'s data_offsets", m.get("data_offsets"), 2);
            long count = 1;
            int[] shape = new int[dims.length];
            for (int d = 0; d < dims.length; d++) {
                if (dims[d] > Integer.MAX_VALUE || (count *= dims[d]) > Integer.MAX_VALUE) {
                    throw new IOException(where + " has shape " + Arrays.toString(dims) + ": too large");
                }
                shape[d] = (int) dims[d];
            }
            if (offsets[1] < offsets[0] || offsets[1] - offsets[0] != count * size) {
                throw new IOException(where + ": data_offsets " + Arrays.toString(offsets) + " span "
                        + (offsets[1] - offsets[0]) + " bytes but shape " + Arrays.toString(dims) + " of " + dtype
                        + " needs " + count * size);
            }
            return new Entry(name, dtype, shape, offsets[0], offsets[1]);
        }

        private static long[] integers(String what, Object value, int length) throws IOException {
            if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length)) {
                throw new IOException(what + " is not a list of " + (length >= 0 ? length + " " : "") + "integers: "
                        + value);
            }
            long[] out = new long[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Double d) || d < 0 || d != Math.rint(d) || d > 1e15) {
                    throw new IOException(what + " holds " + list.get(i) + ", not a whole number >= 0");
                }
                out[i] = d.longValue();
            }
            return out;
        }

        Tensor decode(ByteBuffer data, int start) {
            Tensor t = Tensor.zeros(shape);
            float[] v = t.data();
            int at = (int) (start + begin);
            for (int i = 0; i < v.length; i++) {
                v[i] = switch (dtype) {
                    case "F32" -> data.getFloat(at + 4 * i);
                    case "F16" -> Float.float16ToFloat(data.getShort(at + 2 * i));
                    default -> Float.intBitsToFloat((data.getShort(at + 2 * i) & 0xffff) << 16);      // BF16
                };
            }
            return t;
        }
    }
}
