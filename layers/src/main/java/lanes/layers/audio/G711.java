package lanes.layers.audio;

/**
 * ITU-T G.711 companding: 8-bit mu-law and A-law codes to and from 16-bit linear samples. A code holds a sign, a
 * 3-bit segment (exponent) and a 4-bit step within it; segments double in size, so that small signals keep their
 * resolution.
 */
final class G711 {
    private static final int BIAS = 0x84;
    private static final int CLIP = 32635;

    private G711() {
    }

    // code -> linear sample in [-32124, 32124]
    static int fromMuLaw(byte code) {
        int u = ~code & 0xFF;
        int magnitude = (((u & 0x0F) << 3) + BIAS) << ((u >> 4) & 0x07);
        return (u & 0x80) != 0 ? BIAS - magnitude : magnitude - BIAS;
    }

    // linear sample -> code
    static byte muLaw(int sample) {
        int sign = sample < 0 ? 0x80 : 0;
        int m = Math.min(CLIP, Math.abs(sample)) + BIAS;
        int exponent = 7;
        for (int mask = 0x4000; (m & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (m >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    // code -> linear sample in [-32256, 32256]
    static int fromALaw(byte code) {
        int a = (code ^ 0x55) & 0xFF;
        int exponent = (a >> 4) & 0x07;
        int mantissa = a & 0x0F;
        int magnitude = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
        return (a & 0x80) != 0 ? magnitude : -magnitude;
    }
}
