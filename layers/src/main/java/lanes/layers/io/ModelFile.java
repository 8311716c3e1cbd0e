package lanes.layers.io;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import lanes.engine.Tensor;
import lanes.layers.models.Architecture;
import lanes.layers.nn.Parameter;
import lanes.layers.nn.Sequential;

/**
 * The Lanes model file, version 1: a trained model's architecture and weights. All integers are big-endian.
 *
 * <pre>
 *   magic        8 bytes   "LANESMDL"
 *   version      int32     1
 *   architecture string    {@link Architecture#text()}, e.g. "lenet5" or "mlp:784-256-128-10"
 *   input rank   int32     then that many int32: the shape of one example, e.g. 1 28 28
 *   metadata     int32     count, then that many (key, value) string pairs (e.g. "test_accuracy")
 *   tensors      int32     count, then for each: name (string), rank (int32), dims (int32 each),
 *                          product(dims) float32 values
 *   checksum     int64     CRC-32 of every byte before it
 *
 *   string = int32 byte length, then that many bytes of UTF-8
 * </pre>
 *
 * Tensors are the model's parameters in {@link Sequential#parameters()} order, named {@code "<index>.<name>"}
 * (e.g. {@code "0.weight"}). A file is written to a temporary file beside the target, forced to disk and renamed
 * over it, so a reader sees the old file or the new one, never a part. Reading checks the magic, the version, the
 * length and the checksum before it parses anything, then every count and shape against the architecture: a
 * truncated, corrupted or foreign file gets an {@link IOException} that says which, never garbage weights.
 */
public final class ModelFile {
    /** The first bytes of every model file. */
    public static final byte[] MAGIC = "LANESMDL".getBytes(StandardCharsets.US_ASCII);
    /** The version this code writes and reads. */
    public static final int VERSION = 1;
    /** The safetensors metadata key of the architecture's text, e.g. {@code "lenet5"}. */
    public static final String ARCHITECTURE = "lanes.architecture";
    /** The safetensors metadata key of one example's shape, e.g. {@code "1,28,28"}. */
    public static final String INPUT = "lanes.input";
    /** Larger files are refused before they are read: a model of this engine is far smaller. */
    static final long MAX_BYTES = 1L << 30;

    private ModelFile() {
    }

    /**
     * A model read back: its architecture, its metadata, and the model with its weights.
     *
     * @param architecture the model's architecture, which rebuilt it
     * @param metadata     the file's key-value metadata
     * @param model        the model, with the file's weights
     */
    public record Loaded(Architecture architecture, Map<String, String> metadata, Sequential model) {
    }

    /**
     * Writes {@code model} (of {@code architecture}) and {@code metadata} to {@code file}, atomically.
     *
     * @param file the model file
     * @param architecture its architecture
     * @param model the model
     * @param metadata text entries stored beside it
     * @throws IOException if it cannot be written; the old file, if any, is left as it was
     */
    public static void write(Path file, Architecture architecture, Sequential model, Map<String, String> metadata)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(VERSION);
        writeString(out, architecture.text());
        out.writeInt(architecture.input().length);
        for (int d : architecture.input()) {
            out.writeInt(d);
        }
        out.writeInt(metadata.size());
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
        List<Parameter> params = model.parameters();
        out.writeInt(params.size());
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            writeString(out, i + "." + p.name);
            Tensor v = p.value.contiguous();
            out.writeInt(v.rank());
            for (int d = 0; d < v.rank(); d++) {
                out.writeInt(v.shape(d));
            }
            float[] data = v.data();
            for (int j = 0; j < v.size(); j++) {
                out.writeFloat(data[v.offset() + j]);
            }
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        writeAtomically(file, bytes.toByteArray());
    }

    /**
     * Reads a model file, checked throughout; the model is built from its architecture and given its weights.
     * Both formats are read: this one, and safetensors written by {@link #writeSafetensors} (or by any tool that
     * kept its {@value #ARCHITECTURE} and {@value #INPUT} metadata).
     *
     * @param file the model file
     * @return the architecture, model and metadata
     * @throws IOException if the file cannot be read or is not what it claims to be, naming it
     */
    public static Loaded read(Path file) throws IOException {
        return read(file, readAll(file));
    }

    /**
     * Reads a model file's bytes, checked as {@link #read(Path)} checks a file.
     *
     * @param file the name the messages give
     * @param all the file's bytes
     * @return the architecture, model and metadata
     * @throws IOException if the bytes are not a model file, naming {@code file}
     */
    public static Loaded read(Path file, byte[] all) throws IOException {
        if (Safetensors.looksLike(Arrays.copyOf(all, Math.min(all.length, 9)), all.length)) {
            return fromSafetensors(file, Safetensors.parse(file.toString(), all), null);
        }
        ByteBuffer in = ByteBuffer.wrap(all);
        if (all.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new IOException(file + ": neither a Lanes model file (it does not start with \"LANESMDL\") nor"
                    + " a safetensors file");
        }
        if (all.length < MAGIC.length + 4 + 8) {
            throw new IOException(file + ": truncated: " + all.length + " bytes is too short for a model file");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new IOException(file + ": corrupted or truncated: its checksum is 0x" + Long.toHexString(stored)
                    + " but its " + (all.length - 8) + " bytes sum to 0x" + Long.toHexString(crc.getValue()));
        }
        in.position(MAGIC.length);
        int version = in.getInt();
        if (version != VERSION) {
            throw new IOException(file + ": model file version " + version + "; this Lanes reads version "
                    + VERSION);
        }
        ByteBuffer body = ByteBuffer.wrap(all, 0, all.length - 8);
        body.position(in.position());
        String text = getString(body, file, "the architecture");
        int rank = getCount(body, file, "the input rank", 8);
        int[] input = new int[rank];
        for (int d = 0; d < rank; d++) {
            input[d] = getInt(body, file, "input dimension " + d);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        int entries = getCount(body, file, "the metadata count", 10_000);
        for (int i = 0; i < entries; i++) {
            metadata.put(getString(body, file, "a metadata key"), getString(body, file, "a metadata value"));
        }
        Architecture architecture = new Architecture(text, input);
        Sequential model;
        try {
            model = architecture.build(0);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        List<Parameter> params = model.parameters();
        int tensors = getCount(body, file, "the tensor count", 100_000);
        if (tensors != params.size()) {
            throw new IOException(file + ": holds " + tensors + " tensors but " + architecture + " has "
                    + params.size() + " parameters");
        }
        for (int i = 0; i < tensors; i++) {
            Parameter p = params.get(i);
            String name = getString(body, file, "tensor " + i + "'s name");
            if (!name.equals(i + "." + p.name)) {
                throw new IOException(file + ": tensor " + i + " is \"" + name + "\" where " + architecture
                        + " has \"" + i + "." + p.name + "\"");
            }
            int r = getCount(body, file, name + "'s rank", 8);
            int[] shape = new int[r];
            for (int d = 0; d < r; d++) {
                shape[d] = getInt(body, file, name + "'s dimension " + d);
            }
            if (!p.value.hasShape(shape)) {
                throw new IOException(file + ": tensor " + name + " has shape " + Arrays.toString(shape) + " where "
                        + architecture + " has " + Arrays.toString(p.value.shape()));
            }
            if (body.remaining() < 4L * p.value.size()) {
                throw new IOException(file + ": ends inside tensor " + name);
            }
            float[] data = p.value.data();
            for (int j = 0; j < p.value.size(); j++) {
                float v = body.getFloat();
                if (!Float.isFinite(v)) {
                    throw new IOException(file + ": tensor " + name + " element " + j + " is " + v);
                }
                data[p.value.offset() + j] = v;
            }
        }
        if (body.hasRemaining()) {
            throw new IOException(file + ": " + body.remaining() + " unexpected bytes after the last tensor");
        }
        return new Loaded(architecture, metadata, model);
    }

    /**
     * Writes {@code model} as safetensors: its parameters as {@code F32} under their PyTorch {@code state_dict}
     * names ({@link StateDict}), so that {@code model.load_state_dict(...)} takes them in PyTorch, and in
     * {@code __metadata__} the architecture ({@value #ARCHITECTURE}), the input shape ({@value #INPUT}, e.g.
     * {@code "1,28,28"}), {@code "format": "pt"} and {@code metadata}. Atomic, as {@link #write}.
     *
     * @param file the file
     * @param architecture the model's architecture
     * @param model the model (not fused: its layers as {@link Architecture#build} made them); not modified
     * @param metadata text entries stored beside it
     * @throws IOException if it cannot be written; the old file, if any, is left as it was
     */
    public static void writeSafetensors(Path file, Architecture architecture, Sequential model,
            Map<String, String> metadata) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put(ARCHITECTURE, architecture.text());
        meta.put(INPUT, joined(architecture.input()));
        meta.putAll(metadata);
        Safetensors.write(file, meta, StateDict.tensors(model));
    }

    /**
     * Reads a safetensors file into a model of {@code architecture}, or of the architecture its metadata names
     * where {@code architecture} is null: a {@code state_dict} saved by PyTorch loads here as long as its names
     * and shapes are those of the architecture's {@code nn.Sequential} twin.
     *
     * @param file the file
     * @param architecture the model's architecture, or null to take it from the file's metadata
     * @return the architecture, the model with the file's weights, and the file's other metadata
     * @throws IOException if the file breaks the format, names no architecture where none is given, or its
     *                     tensors do not fit the architecture, naming what differs
     */
    public static Loaded readSafetensors(Path file, Architecture architecture) throws IOException {
        return fromSafetensors(file, Safetensors.read(file), architecture);
    }

    private static Loaded fromSafetensors(Path file, Safetensors.Contents contents, Architecture given)
            throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>(contents.metadata());
        String text = metadata.remove(ARCHITECTURE);
        String input = metadata.remove(INPUT);
        metadata.remove("format");
        Architecture architecture = given;
        if (architecture == null) {
            if (text == null || input == null) {
                throw new IOException(file + ": a safetensors file without \"" + ARCHITECTURE + "\" and \"" + INPUT
                        + "\" metadata: say which model it holds (--arch NAME)");
            }
            architecture = new Architecture(text, parseShape(file, input));
        }
        Sequential model;
        try {
            model = architecture.build(0);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        StateDict.load(model, contents.tensors(), file + " (" + architecture + ")");
        return new Loaded(architecture, metadata, model);
    }

    private static String joined(int[] shape) {
        StringBuilder b = new StringBuilder();
        for (int d : shape) {
            b.append(b.isEmpty() ? "" : ",").append(d);
        }
        return b.toString();
    }

    private static int[] parseShape(Path file, String text) throws IOException {
        try {
            int[] shape = Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            for (int d : shape) {
                if (d < 1) {
                    throw new NumberFormatException();
                }
            }
            return shape;
        } catch (NumberFormatException e) {
            throw new IOException(file + ": metadata " + INPUT + " is \"" + text
                    + "\", not extents >= 1 separated by commas");
        }
    }

    /** Writes {@code bytes} to {@code file} atomically ({@link AtomicFile#write}). */
    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        AtomicFile.write(file, bytes);
    }

    static byte[] readAll(Path file) throws IOException {
        try {
            if (Files.isDirectory(file)) {
                throw new IOException(file + ": is a folder, not a model file");
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new IOException(file + ": " + size + " bytes is larger than any Lanes model file");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static int getInt(ByteBuffer in, Path file, String what) throws IOException {
        if (in.remaining() < 4) {
            throw new IOException(file + ": truncated: ends before " + what);
        }
        return in.getInt();
    }

    static int getCount(ByteBuffer in, Path file, String what, int max) throws IOException {
        int n = getInt(in, file, what);
        if (n < 0 || n > max) {
            throw new IOException(file + ": " + what + " is " + n + ", not in 0.." + max);
        }
        return n;
    }

    private static String getString(ByteBuffer in, Path file, String what) throws IOException {
        int n = getInt(in, file, what + "'s length");
        if (n < 0 || n > in.remaining()) {
            throw new IOException(file + ": " + what + " claims " + n + " bytes where " + in.remaining() + " remain");
        }
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
