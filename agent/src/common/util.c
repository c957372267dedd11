/* Freestanding helpers: the few libc functions the compiler may call, and number formatting. */
#include "agent.h"

void *memset(void *d, int c, size_t n)
{
    volatile uint8_t *p = d;
    while (n--) {
        *p++ = (uint8_t) c;
    }
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    volatile uint8_t *p = d;
    const volatile uint8_t *q = s;
    while (n--) {
        *p++ = *q++;
    }
    return d;
}

size_t agent_strlen(const char *s)
{
    size_t n = 0;
    while (s[n]) {
        n++;
    }
    return n;
}

char *agent_put_str(char *p, const char *s)
{
    while (*s) {
        *p++ = *s++;
    }
    *p = 0;
    return p;
}

char *agent_put_hex(char *p, uint64_t v, int min_digits)
{
    static const char digits[] = "0123456789abcdef";
    int n = 16;
    while (n > min_digits && n > 1 && ((v >> ((n - 1) * 4)) & 15) == 0) {
        n--;
    }
    for (int i = n - 1; i >= 0; i--) {
        *p++ = digits[(v >> (i * 4)) & 15];
    }
    *p = 0;
    return p;
}

void agent_copy_text(char *dst, size_t n, const char *src)
{
    size_t len = agent_strlen(src);
    if (len >= n) {
        len = n - 1;
    }
    memcpy(dst, src, len);
    dst[len] = 0;
}

int agent_overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}
