/* Measurement shim only: frees each TLS record CRIU 4.1.1's tls_recv_data_to_fd() received
 * (it deinits only the last packet, so every 16 KiB record stays allocated). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <gnutls/gnutls.h>
static gnutls_packet_t last;
ssize_t gnutls_record_recv_packet(gnutls_session_t s, gnutls_packet_t *p) {
  static ssize_t (*real)(gnutls_session_t, gnutls_packet_t *);
  if (!real) real = dlsym(RTLD_NEXT, "gnutls_record_recv_packet");
  static void (*deinit)(gnutls_packet_t);
  if (!deinit) deinit = dlsym(RTLD_NEXT, "gnutls_packet_deinit");
  if (last) { deinit(last); last = 0; }
  ssize_t r = real(s, p);
  if (r > 0) last = *p;
  return r;
}
void gnutls_packet_deinit(gnutls_packet_t p) {
  static void (*deinit)(gnutls_packet_t);
  if (!deinit) deinit = dlsym(RTLD_NEXT, "gnutls_packet_deinit");
  if (p && p == last) last = 0;
  else if (!p) return;
  deinit(p);
}
