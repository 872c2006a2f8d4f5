#ifndef MASAR_CGRAPHVIZ_SHIM_H
#define MASAR_CGRAPHVIZ_SHIM_H

#include <stddef.h>
#include <graphviz/gvc.h>
#include <graphviz/cgraph.h>

/* gvRenderData's length is `unsigned int *` in Graphviz 2.42 (Debian 12) and `size_t *` in
   later releases. Pick the right call by the declared type, so one source builds with both. */
typedef int (*masar_render_uint)(GVC_t *, graph_t *, const char *, char **, unsigned int *);
typedef int (*masar_render_size)(GVC_t *, graph_t *, const char *, char **, size_t *);

static inline int masar_gv_render_data(GVC_t *gvc, graph_t *graph, const char *format,
                                       char **result, size_t *length) {
    if (_Generic(&gvRenderData, masar_render_uint: 1, default: 0)) {
        unsigned int short_length = 0;
        int status = ((masar_render_uint)(void *)gvRenderData)(gvc, graph, format, result, &short_length);
        *length = short_length;
        return status;
    } else {
        size_t long_length = 0;
        int status = ((masar_render_size)(void *)gvRenderData)(gvc, graph, format, result, &long_length);
        *length = long_length;
        return status;
    }
}

#endif
