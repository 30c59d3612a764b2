package cebm.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Encodes a {@link SafetensorsFile} in the layout described in {@link Safetensors}: metadata first, then the
 * tensors in name order, their data laid out in the same order.
 */
final class SafetensorsWriter {
    /**
     * The header is padded with spaces (legal JSON whitespace) to a multiple of this, so the data section starts
     * 8-byte aligned and a reader that maps the file can view it as longs or floats in place. The reference
     * implementation pads the same way.
     */
    private static final int ALIGNMENT = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {
    }

    static void write(SafetensorsFile content, OutputStream out) throws IOException {
        byte[] header = paddedHeader(content);
        out.write(ByteBuffer.allocate(Safetensors.HEADER_LENGTH_BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.write(header);
        for (TensorEntry tensor : content.tensors().values()) {
            out.write(tensor.data());
        }
    }

    private static byte[] paddedHeader(SafetensorsFile content) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!content.metadata().isEmpty()) {
            ObjectNode metadata = header.putObject(Safetensors.METADATA_KEY);
            content.metadata().forEach(metadata::put);
        }
        long offset = 0;
        for (TensorEntry tensor : content.tensors().values()) {
            ObjectNode entry = header.putObject(tensor.name());
            entry.put("dtype", tensor.dtype().name());
            ArrayNode shape = entry.putArray("shape");
            for (int dimension : tensor.shape()) {
                shape.add(dimension);
            }
            long end = offset + tensor.data().length;
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int paddedLength = (json.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] padded = Arrays.copyOf(json, paddedLength);
        Arrays.fill(padded, json.length, paddedLength, (byte) ' ');
        return padded;
    }
}
