package cebm.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Parses and validates one safetensors file (layout in {@link Safetensors}).
 *
 * <p>Validation is as strict as the reference implementation's: the header must fit in the file, be a JSON
 * object without duplicate keys, give every tensor a known dtype, a shape and offsets whose size matches
 * shape × dtype, and the tensors must tile the data section with no gap or overlap. A checkpoint failing any of
 * these is damaged, and loading it anyway would resume training from garbage.
 */
final class SafetensorsReader {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY, DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** A tensor's header entry, checked on its own, before the tensors are checked against each other. */
    private record Declared(String name, Dtype dtype, int[] shape, long begin, long end) {
    }

    private final Path file;
    private final byte[] bytes;
    /** Where the data section starts in the file; header data_offsets count from here. */
    private final int dataStart;

    private SafetensorsReader(Path file, byte[] bytes) throws SafetensorsException {
        this.file = file;
        this.bytes = bytes;
        this.dataStart = Safetensors.HEADER_LENGTH_BYTES + headerLength();
    }

    static SafetensorsFile read(Path file) throws IOException {
        return new SafetensorsReader(file, Files.readAllBytes(file)).parse();
    }

    private SafetensorsFile parse() throws SafetensorsException {
        JsonNode header = parseHeader();
        SortedMap<String, String> metadata = new TreeMap<>();
        List<Declared> declared = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = header.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals(Safetensors.METADATA_KEY)) {
                metadata = metadata(field.getValue());
            } else {
                declared.add(declared(field.getKey(), field.getValue()));
            }
        }
        checkTiling(declared);
        SortedMap<String, TensorEntry> tensors = new TreeMap<>();
        for (Declared tensor : declared) {
            byte[] data = Arrays.copyOfRange(bytes, dataStart + (int) tensor.begin(), dataStart + (int) tensor.end());
            tensors.put(tensor.name(), TensorEntry.ofBytes(tensor.name(), tensor.dtype(), tensor.shape(), data));
        }
        return new SafetensorsFile(tensors, metadata);
    }

    private int headerLength() throws SafetensorsException {
        if (bytes.length < Safetensors.HEADER_LENGTH_BYTES) {
            throw problem("too short for a safetensors file: " + bytes.length + " bytes, but the header length alone takes "
                    + Safetensors.HEADER_LENGTH_BYTES);
        }
        long length = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        long room = bytes.length - Safetensors.HEADER_LENGTH_BYTES;
        // compareUnsigned: the field is unsigned, and a corrupt one may have its top bit set.
        if (Long.compareUnsigned(length, room) > 0) {
            throw problem("header length " + Long.toUnsignedString(length) + " at byte 0 runs past the end of the file: "
                    + "the file has " + bytes.length + " bytes, so the header can be at most " + room);
        }
        return (int) length;
    }

    private JsonNode parseHeader() throws SafetensorsException {
        int headerLength = dataStart - Safetensors.HEADER_LENGTH_BYTES;
        JsonNode header;
        try {
            header = JSON.readTree(bytes, Safetensors.HEADER_LENGTH_BYTES, headerLength);
        } catch (JsonProcessingException e) {
            // Jackson reports where it stopped, which is at or just after the offending token, hence "near".
            long fileByte = Safetensors.HEADER_LENGTH_BYTES + e.getLocation().getByteOffset();
            throw new SafetensorsException(file, "header (bytes " + Safetensors.HEADER_LENGTH_BYTES + ".." + dataStart
                    + ") is not valid JSON near byte " + fileByte + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SafetensorsException(file, "header is unreadable: " + e.getMessage(), e);
        }
        if (!header.isObject()) {
            throw problem("header must be a JSON object, found: " + (header.isMissingNode() ? "nothing" : abbreviate(header.toString())));
        }
        return header;
    }

    private SortedMap<String, String> metadata(JsonNode node) throws SafetensorsException {
        if (!node.isObject()) {
            throw problem("\"" + Safetensors.METADATA_KEY + "\" must be an object of strings, found: " + abbreviate(node.toString()));
        }
        SortedMap<String, String> metadata = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isTextual()) {
                throw problem("metadata value of '" + field.getKey() + "' must be a string, found: " + abbreviate(field.getValue().toString()));
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
        return metadata;
    }

    private Declared declared(String name, JsonNode node) throws SafetensorsException {
        if (!node.isObject()) {
            throw tensorProblem(name, "expected an object with dtype, shape and data_offsets, found: " + abbreviate(node.toString()));
        }
        Dtype dtype = dtype(name, node.get("dtype"));
        int[] shape = shape(name, node.get("shape"));
        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2 || !isNonNegativeLong(offsets.get(0)) || !isNonNegativeLong(offsets.get(1))) {
            throw tensorProblem(name, "\"data_offsets\" must be [begin, end] with non-negative integers, found: " + offsets);
        }
        long begin = offsets.get(0).longValue();
        long end = offsets.get(1).longValue();
        long dataLength = bytes.length - dataStart;
        if (begin > end || end > dataLength) {
            throw tensorProblem(name, "data_offsets [" + begin + ", " + end + "] do not lie within the data section of "
                    + dataLength + " bytes (file bytes " + dataStart + ".." + bytes.length + ")");
        }
        long needed = elementCount(name, shape) * dtype.bytes();
        if (end - begin != needed) {
            throw tensorProblem(name, "shape " + Arrays.toString(shape) + " of " + dtype + " needs " + needed
                    + " bytes, but data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        return new Declared(name, dtype, shape, begin, end);
    }

    private Dtype dtype(String name, JsonNode node) throws SafetensorsException {
        if (node == null || !node.isTextual()) {
            throw tensorProblem(name, "\"dtype\" must be a string, found: " + node);
        }
        for (Dtype dtype : Dtype.values()) {
            if (dtype.name().equals(node.textValue())) {
                return dtype;
            }
        }
        throw tensorProblem(name, "dtype " + node + " is not supported; supported: " + Arrays.toString(Dtype.values()));
    }

    private int[] shape(String name, JsonNode node) throws SafetensorsException {
        if (node == null || !node.isArray()) {
            throw tensorProblem(name, "\"shape\" must be an array of non-negative integers, found: " + node);
        }
        int[] shape = new int[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode dimension = node.get(i);
            if (!dimension.isIntegralNumber() || !dimension.canConvertToInt() || dimension.intValue() < 0) {
                throw tensorProblem(name, "\"shape\" must be an array of non-negative integers, found: " + node);
            }
            shape[i] = dimension.intValue();
        }
        return shape;
    }

    private long elementCount(String name, int[] shape) throws SafetensorsException {
        try {
            return TensorEntry.elementCount(shape);
        } catch (IllegalArgumentException e) {
            throw tensorProblem(name, e.getMessage());
        }
    }

    /** The tensors, in offset order, must follow each other with no gap or overlap and fill the data section. */
    private void checkTiling(List<Declared> declared) throws SafetensorsException {
        List<Declared> byOffset = new ArrayList<>(declared);
        byOffset.sort(Comparator.comparingLong(Declared::begin).thenComparingLong(Declared::end));
        long expectedBegin = 0;
        String previous = null;
        for (Declared tensor : byOffset) {
            if (tensor.begin() != expectedBegin) {
                String relation = tensor.begin() < expectedBegin ? "overlaps" : "leaves a gap after";
                throw tensorProblem(tensor.name(), "data starts at offset " + tensor.begin() + ", which " + relation + " "
                        + (previous == null ? "the start of the data section" : "tensor '" + previous + "' (ending at " + expectedBegin + ")"));
            }
            expectedBegin = tensor.end();
            previous = tensor.name();
        }
        long dataLength = bytes.length - dataStart;
        if (expectedBegin != dataLength) {
            throw problem("data section bytes " + expectedBegin + ".." + dataLength + " belong to no tensor (file bytes "
                    + (dataStart + expectedBegin) + ".." + bytes.length + "): the file has trailing data or a header entry is missing");
        }
    }

    private static boolean isNonNegativeLong(JsonNode node) {
        return node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0;
    }

    /** JSON snippets in messages are cut short: a corrupt header can be megabytes of noise. */
    private static String abbreviate(String json) {
        int limit = 80;
        return json.length() <= limit ? json : json.substring(0, limit) + "…";
    }

    private SafetensorsException tensorProblem(String tensor, String problem) {
        return problem("tensor '" + tensor + "': " + problem);
    }

    private SafetensorsException problem(String problem) {
        return new SafetensorsException(file, problem);
    }
}
