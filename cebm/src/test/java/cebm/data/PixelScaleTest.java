package cebm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PixelScaleTest {
    @Test
    void bytesMapOntoMinusOneToOne() {
        assertEquals(-1f, PixelScale.fromByte(0));
        assertEquals(1f, PixelScale.fromByte(255));
        assertEquals(0f, PixelScale.fromByte(128), 1f / 127.5f);
    }

    @Test
    void everyByteSurvivesARoundTrip() {
        for (int value = 0; value <= 255; value++) {
            assertEquals(value, PixelScale.toByte(PixelScale.fromByte(value)));
        }
    }

    @Test
    void toByteClampsOutOfRangeValuesAndBlacksOutNaN() {
        assertEquals(255, PixelScale.toByte(3.5f));
        assertEquals(0, PixelScale.toByte(-7f));
        assertEquals(0, PixelScale.toByte(Float.NaN));
    }

    @Test
    void fromBytesReadsBytesAsUnsignedIntoTheGivenRange() {
        byte[] source = {9, 0, (byte) 255, (byte) 128, 9};
        float[] target = {5f, 5f, 5f, 5f};
        PixelScale.fromBytes(source, 1, target, 1, 3);
        assertArrayEquals(new float[] {5f, -1f, 1f, PixelScale.fromByte(128)}, target);
    }
}
