package io.github.lstm4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RawTensorTest {

    @Test
    void factoriesKeepDtypeShapeAndElements() {
        RawTensor f = RawTensor.ofFloats(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6.5f});
        assertEquals(DType.F32, f.dtype());
        assertArrayEquals(new int[] {2, 3}, f.shape());
        assertEquals(6, f.numel());
        assertEquals(24, f.byteCount());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6.5f}, f.toFloatArray());

        RawTensor d = RawTensor.ofDoubles(new int[] {2}, new double[] {0.1, -1e300});
        assertEquals(DType.F64, d.dtype());
        assertArrayEquals(new double[] {0.1, -1e300}, d.toDoubleArray());

        RawTensor l = RawTensor.ofLongs(new int[] {3}, new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE});
        assertEquals(DType.I64, l.dtype());
        assertArrayEquals(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, l.toLongArray());

        RawTensor i = RawTensor.ofInts(new int[] {1, 2}, new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE});
        assertEquals(DType.I32, i.dtype());
        assertArrayEquals(new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE}, i.toIntArray());
    }

    @Test
    void scalarHasOneElementAndZeroDimensionHasNone() {
        RawTensor scalar = RawTensor.ofFloats(new int[0], new float[] {3.5f});
        assertEquals(1, scalar.numel());
        assertEquals(0, scalar.shape().length);
        RawTensor empty = RawTensor.ofInts(new int[] {4, 0, 2}, new int[0]);
        assertEquals(0, empty.numel());
        assertEquals(0, empty.byteCount());
        assertThrows(IllegalArgumentException.class, () -> RawTensor.ofFloats(new int[0], new float[0]));
    }

    @Test
    void factoriesRejectMismatchedLengthAndNegativeDims() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RawTensor.ofFloats(new int[] {2, 3}, new float[5]));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("6") && e.getMessage().contains("5"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RawTensor.ofLongs(new int[] {2, -1}, new long[0]));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RawTensor.ofDoubles(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE},
                        new double[1]));
        assertTrue(e.getMessage().contains("overflows"), e.getMessage());
    }

    @Test
    void tensorsAreImmutable() {
        int[] shape = {2};
        float[] data = {1, 2};
        RawTensor t = RawTensor.ofFloats(shape, data);
        shape[0] = 7;
        data[0] = 9;
        t.shape()[0] = 5;
        t.toFloatArray()[1] = 8;
        assertArrayEquals(new int[] {2}, t.shape());
        assertArrayEquals(new float[] {1, 2}, t.toFloatArray());
    }

    @Test
    void conversionsBetweenDtypes() {
        RawTensor d = RawTensor.ofDoubles(new int[] {2}, new double[] {1.5, -2.25});
        assertArrayEquals(new float[] {1.5f, -2.25f}, d.toFloatArray());
        RawTensor f = RawTensor.ofFloats(new int[] {1}, new float[] {0.1f});
        assertArrayEquals(new double[] {(double) 0.1f}, f.toDoubleArray());
        RawTensor l = RawTensor.ofLongs(new int[] {2}, new long[] {-3, 1L << 40});
        assertArrayEquals(new float[] {-3f, (float) (1L << 40)}, l.toFloatArray());
        assertArrayEquals(new double[] {-3, 1L << 40}, l.toDoubleArray());
        RawTensor i = RawTensor.ofInts(new int[] {2}, new int[] {-7, 9});
        assertArrayEquals(new long[] {-7, 9}, i.toLongArray());
        assertArrayEquals(new double[] {-7, 9}, i.toDoubleArray());
        assertArrayEquals(new int[] {-3, 5},
                RawTensor.ofLongs(new int[] {2}, new long[] {-3, 5}).toIntArray());
    }

    @Test
    void integerAccessorsRefuseFloatTensorsNamingTheDtype() {
        RawTensor f = RawTensor.ofFloats(new int[] {1}, new float[] {1});
        IllegalStateException e = assertThrows(IllegalStateException.class, f::toLongArray);
        assertTrue(e.getMessage().contains("F32"), e.getMessage());
        e = assertThrows(IllegalStateException.class,
                () -> RawTensor.ofDoubles(new int[] {1}, new double[] {1}).toIntArray());
        assertTrue(e.getMessage().contains("F64"), e.getMessage());
    }

    @Test
    void toIntArrayRefusesLongsOutsideIntRange() {
        RawTensor l = RawTensor.ofLongs(new int[] {2}, new long[] {1, 1L << 31});
        ArithmeticException e = assertThrows(ArithmeticException.class, l::toIntArray);
        assertTrue(e.getMessage().contains("2147483648"), e.getMessage());
    }

    @Test
    void equalityComparesDtypeShapeAndBits() {
        RawTensor a = RawTensor.ofFloats(new int[] {2}, new float[] {1, Float.NaN});
        assertEquals(a, RawTensor.ofFloats(new int[] {2}, new float[] {1, Float.NaN}));
        assertEquals(a.hashCode(), RawTensor.ofFloats(new int[] {2}, new float[] {1, Float.NaN}).hashCode());
        assertNotEquals(a, RawTensor.ofFloats(new int[] {1, 2}, new float[] {1, Float.NaN}));
        assertNotEquals(RawTensor.ofInts(new int[] {1}, new int[] {0}), RawTensor.ofFloats(new int[] {1}, new float[] {0}));
        assertNotEquals(RawTensor.ofFloats(new int[] {1}, new float[] {0f}),
                RawTensor.ofFloats(new int[] {1}, new float[] {-0f}));
        assertEquals("RawTensor[F32, shape=[2]]", a.toString());
    }

    @Test
    void dtypeParseKnowsTheFourSupportedNamesOnly() throws SafetensorsException {
        for (DType t : DType.values()) {
            assertEquals(t, DType.parse(t.name()));
        }
        assertEquals(4, DType.F32.byteSize());
        assertEquals(8, DType.F64.byteSize());
        assertEquals(8, DType.I64.byteSize());
        assertEquals(4, DType.I32.byteSize());
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> DType.parse("BF16"));
        assertTrue(e.getMessage().contains("unsupported dtype BF16"), e.getMessage());
        assertThrows(SafetensorsException.class, () -> DType.parse("f32"));
        assertThrows(SafetensorsException.class, () -> DType.parse(""));
    }
}
