/* http.c — response and request helpers; see http.h. */
#include "web/http.h"

#include <stdlib.h>
#include <string.h>

void res_redirect(struct response *res, const char *location)
{
	res->status = 303;
	free(res->location);
	res->location = strdup(location);
}

void res_error(struct response *res, int status, const char *message)
{
	static const char *const titles[][2] = {
		{ "401", "Connexion requise" }, { "403", "Accès refusé" },
		{ "404", "Page introuvable" }, { "405", "Méthode non permise" },
		{ "409", "Modification concurrente" }, { "413", "Envoi trop volumineux" },
		{ "422", "Saisie à corriger" }, { "429", "Trop de tentatives" },
		{ "500", "Erreur interne" },
	};
	char code[8];

	snprintf(code, sizeof code, "%d", status);
	res->status = status;
	res->template = "error";
	res->title = "Erreur";
	for (size_t i = 0; i < sizeof titles / sizeof *titles; i++)
		if (strcmp(titles[i][0], code) == 0)
			res->title = titles[i][1];
	json_decref(res->data);
	res->data = json_pack("{s:s, s:i, s:s}", "error", message, "status", status, "heading",
			      res->title);
}

void res_invalid(struct response *res, json_t *fields)
{
	res->status = 422;
	if (!json_is_object(res->data)) {
		json_decref(res->data);
		res->data = json_object();
	}
	json_object_set_new(res->data, "error", json_string("certains champs sont à corriger"));
	json_object_set_new(res->data, "fields", fields);
}

void res_cookie(struct response *res, const char *value)
{
	for (int i = 0; i < 3; i++) {
		if (!res->set_cookie[i]) {
			res->set_cookie[i] = strdup(value);
			return;
		}
	}
}

static const char *str_of(json_t *obj, const char *name)
{
	json_t *v = json_object_get(obj, name);

	/* A field sent twice gives its last value where one is expected. */
	if (json_is_array(v))
		v = json_array_get(v, json_array_size(v) - 1);
	return json_string_value(v);
}

const char *req_query(const struct request *req, const char *name)
{
	return str_of(req->query, name);
}

const char *req_form(const struct request *req, const char *name)
{
	return str_of(req->form, name);
}

const char *req_param(const struct request *req, const char *name)
{
	return str_of(req->params, name);
}
