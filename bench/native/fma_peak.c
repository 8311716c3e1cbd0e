/*
 * The C side of the FMA-peak comparison: 12 independent FMA chains per thread, 256-bit (AVX2) and, where the
 * CPU has it, 512-bit (AVX-512F). Build and run:  gcc -O2 -mavx2 -mfma -mavx512f -pthread fma_peak.c -o fma_peak && ./fma_peak
 * Prints GFLOP/s for 1 thread and for every core, best of 7 runs, to set beside `./lanes info`.
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define ITERS 20000000L

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

__attribute__((target("avx2,fma"))) static float chains256(long iters) {
    __m256 x = _mm256_set1_ps(1.0000001f), y = _mm256_set1_ps(1e-9f);
    __m256 a0 = _mm256_set1_ps(0), a1 = _mm256_set1_ps(1), a2 = _mm256_set1_ps(2), a3 = _mm256_set1_ps(3);
    __m256 a4 = _mm256_set1_ps(4), a5 = _mm256_set1_ps(5), a6 = _mm256_set1_ps(6), a7 = _mm256_set1_ps(7);
    __m256 a8 = _mm256_set1_ps(8), a9 = _mm256_set1_ps(9), a10 = _mm256_set1_ps(10), a11 = _mm256_set1_ps(11);
    for (long i = 0; i < iters; i++) {
        a0 = _mm256_fmadd_ps(x, y, a0); a1 = _mm256_fmadd_ps(x, y, a1); a2 = _mm256_fmadd_ps(x, y, a2);
        a3 = _mm256_fmadd_ps(x, y, a3); a4 = _mm256_fmadd_ps(x, y, a4); a5 = _mm256_fmadd_ps(x, y, a5);
        a6 = _mm256_fmadd_ps(x, y, a6); a7 = _mm256_fmadd_ps(x, y, a7); a8 = _mm256_fmadd_ps(x, y, a8);
        a9 = _mm256_fmadd_ps(x, y, a9); a10 = _mm256_fmadd_ps(x, y, a10); a11 = _mm256_fmadd_ps(x, y, a11);
    }
    __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                             _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7)));
    s = _mm256_add_ps(s, _mm256_add_ps(_mm256_add_ps(a8, a9), _mm256_add_ps(a10, a11)));
    float out[8];
    _mm256_storeu_ps(out, s);
    return out[0];
}

__attribute__((target("avx512f"))) static float chains512(long iters) {
    __m512 x = _mm512_set1_ps(1.0000001f), y = _mm512_set1_ps(1e-9f);
    __m512 a0 = _mm512_set1_ps(0), a1 = _mm512_set1_ps(1), a2 = _mm512_set1_ps(2), a3 = _mm512_set1_ps(3);
    __m512 a4 = _mm512_set1_ps(4), a5 = _mm512_set1_ps(5), a6 = _mm512_set1_ps(6), a7 = _mm512_set1_ps(7);
    __m512 a8 = _mm512_set1_ps(8), a9 = _mm512_set1_ps(9), a10 = _mm512_set1_ps(10), a11 = _mm512_set1_ps(11);
    for (long i = 0; i < iters; i++) {
        a0 = _mm512_fmadd_ps(x, y, a0); a1 = _mm512_fmadd_ps(x, y, a1); a2 = _mm512_fmadd_ps(x, y, a2);
        a3 = _mm512_fmadd_ps(x, y, a3); a4 = _mm512_fmadd_ps(x, y, a4); a5 = _mm512_fmadd_ps(x, y, a5);
        a6 = _mm512_fmadd_ps(x, y, a6); a7 = _mm512_fmadd_ps(x, y, a7); a8 = _mm512_fmadd_ps(x, y, a8);
        a9 = _mm512_fmadd_ps(x, y, a9); a10 = _mm512_fmadd_ps(x, y, a10); a11 = _mm512_fmadd_ps(x, y, a11);
    }
    __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)),
                             _mm512_add_ps(_mm512_add_ps(a4, a5), _mm512_add_ps(a6, a7)));
    s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(a8, a9), _mm512_add_ps(a10, a11)));
    return _mm512_reduce_add_ps(s);
}

static int width;
static volatile float sink;

static void *worker(void *arg) {
    (void) arg;
    sink += width == 512 ? chains512(ITERS) : chains256(ITERS);
    return NULL;
}

static double run(int threads) {
    pthread_t t[256];
    double best = 0;
    for (int r = 0; r < 7; r++) {
        double t0 = now();
        for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, worker, NULL);
        for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
        double secs = now() - t0;
        double gflops = threads * (double) ITERS * 12 * 2 * (width / 32) / secs * 1e-9;
        if (gflops > best) best = gflops;
    }
    return best;
}

int main(void) {
    int cores = (int) sysconf(_SC_NPROCESSORS_ONLN);
    __builtin_cpu_init();
    int widths[] = {256, 512};
    for (int w = 0; w < 2; w++) {
        width = widths[w];
        if (width == 512 && !__builtin_cpu_supports("avx512f")) {
            printf("512-bit: no AVX-512F on this CPU\n");
            continue;
        }
        double one = run(1);
        double all = run(cores);
        printf("%d-bit FMA peak: %.1f GFLOP/s on 1 core, %.1f on %d cores\n", width, one, all, cores);
    }
    return 0;
}
