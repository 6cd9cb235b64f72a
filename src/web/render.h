/*
 * render.h — turning a response into bytes: JSON for scripts, or the page's
 * template inside the layout for people.
 */
#ifndef PARCOURS_RENDER_H
#define PARCOURS_RENDER_H
#include "base/buf.h"

struct request;
struct response;

/* Writes the body of res into out and returns its content type. HTML
 * pages get the layout context: "me" (the user), "csrf", "nav", "title". */
const char *render_response(struct request *req, struct response *res, struct buf *out);

/* Frees the parsed templates (kept from the first render on), at a clean
 * stop once no thread renders any more. */
void render_cleanup(void);

#endif
