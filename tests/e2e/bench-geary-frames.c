/* bench-geary-frames: the screen's frames, for timing "launch to a painted list" of a
 * client that sets no mark we can read (Geary). Usage: bench-geary-frames X Y W H [PPM]
 * Every 100 ms it reads the rectangle X,Y,W,H of the X root window (XGetImage: a few ms,
 * where an ImageMagick `import` costs ~50 ms of CPU, taken from the client being timed on
 * a small machine) and prints "<unix ms> <hash> <dark>" when the pixels differ from the
 * last frame's; <dark> is the share of dark (text) pixels in thousandths, so an empty pane
 * (white, or a placeholder) can be told from one with rows. On SIGTERM/SIGINT it stops, writing the last frame to PPM when given (what the
 * benchmark saw). The caller decides which hash is the settled list. */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static long long now_ms(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* FNV-1a over the visible pixels (the padding bytes of a row are not part of the image),
 * and how many of them are dark (r + g + b < 300). */
static uint64_t hash_image(XImage *img, long *dark) {
  uint64_t h = 1469598103934665603ULL;
  *dark = 0;
  for (int y = 0; y < img->height; y++)
    for (int x = 0; x < img->width; x++) {
      unsigned long p = XGetPixel(img, x, y) & 0xffffff;
      h ^= (uint64_t)p;
      h *= 1099511628211ULL;
      if (((p >> 16) & 0xff) + ((p >> 8) & 0xff) + (p & 0xff) < 300) (*dark)++;
    }
  return h;
}

static void write_ppm(const char *path, XImage *img) {
  FILE *f = fopen(path, "wb");
  if (!f) return;
  fprintf(f, "P6\n%d %d\n255\n", img->width, img->height);
  for (int y = 0; y < img->height; y++)
    for (int x = 0; x < img->width; x++) {
      unsigned long p = XGetPixel(img, x, y);
      unsigned char rgb[3] = {(p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff};
      fwrite(rgb, 1, 3, f);
    }
  fclose(f);
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: bench-geary-frames X Y W H [PPM]\n");
    return 2;
  }
  int x = atoi(argv[1]), y = atoi(argv[2]);
  unsigned w = (unsigned)atoi(argv[3]), h = (unsigned)atoi(argv[4]);
  Display *d = XOpenDisplay(NULL);
  if (!d) {
    fprintf(stderr, "bench-geary-frames: cannot open the display\n");
    return 1;
  }
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  setvbuf(stdout, NULL, _IOLBF, 0);
  Window root = DefaultRootWindow(d);
  uint64_t last = 0;
  XImage *kept = NULL;
  while (!stop) {
    long long t = now_ms();
    XImage *img = XGetImage(d, root, x, y, w, h, AllPlanes, ZPixmap);
    if (img) {
      long dark;
      uint64_t hash = hash_image(img, &dark);
      if (hash != last)
        printf("%lld %016llx %ld\n", t, (unsigned long long)hash, dark * 1000 / ((long)w * h));
      last = hash;
      if (kept) XDestroyImage(kept);
      kept = img;
    }
    long long spent = now_ms() - t;
    if (spent < 100) {
      struct timespec pause = {0, (long)(100 - spent) * 1000000L};
      nanosleep(&pause, NULL);
    }
  }
  if (kept && argc > 5) write_ppm(argv[5], kept);
  XCloseDisplay(d);
  return 0;
}
