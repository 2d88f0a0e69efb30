"""Side by side: two coalitions, organizations or people compared, and the stance matrix."""

from django.contrib import messages
from django.core.paginator import InvalidPage, Paginator
from django.shortcuts import render

from alliance_portal.errors import PageNotFound
from alliance_portal.listing import warn_ignored
from debates.forms import CompareForm, MatrixForm
from debates.models import Comment
from debates.sides import compare, find_side, organizations_with_positions, stance_matrix
from members.models import Coalition, Organization, Person
from pagecache import cached_page, every_kind_but


@cached_page(query=[CompareForm], lists=every_kind_but(Comment))
def compare_view(request):
    """Any two coalitions, organizations or people side by side, topic by topic."""
    choices, complete = compare_choices()
    data = request.GET if ("a" in request.GET or "b" in request.GET) else None
    form = CompareForm(data, suggestions=choices, suggestions_complete=complete)
    context = {"form": form}
    if not form.is_bound:
        return render(request, "debates/compare.html", context)
    if not form.is_valid():
        warn_ignored(request, form)
        return render(request, "debates/compare.html", context, status=400)
    sides = {}
    for key in ("a", "b"):
        sides[key] = find_side(form.cleaned_data[key])
        if sides[key] is None:
            messages.error(request, f"No coalition, organization or person is called “{form.cleaned_data[key]}”.")
    if None in sides.values():
        return render(request, "debates/compare.html", context, status=404)
    rows, a_coverage, b_coverage = compare(sides["a"], sides["b"])
    context.update(
        side_a=sides["a"],
        side_b=sides["b"],
        sides=[sides["a"], sides["b"]],
        rows=rows,
        a_coverage=a_coverage,
        b_coverage=b_coverage,
    )
    return render(request, "debates/compare.html", context)


PICKER_LIMIT = 200  # beyond this many organizations (or people), the picker suggests coalitions only


def compare_choices():
    """Suggestions for the picker's two boxes: [(value, name), …], and whether some were left out.

    Every coalition; organizations and people too while there are few enough to
    list (a page with ten thousand options helps nobody; any name or slug can be typed).
    """
    choices = list(Coalition.objects.order_by("name").values_list("slug", "name"))
    complete = True
    for model, prefix in ((Organization, ""), (Person, "person:")):
        rows = list(model.objects.order_by("name").values_list("slug", "name")[: PICKER_LIMIT + 1])
        if len(rows) > PICKER_LIMIT:
            complete = False
        else:
            choices += [(prefix + slug, name) for slug, name in rows]
    return choices, complete


MATRIX_ROWS = 100  # organizations per page of the matrix


@cached_page(query=[MatrixForm, "page"], lists=every_kind_but(Comment))
def matrix_view(request):
    form = MatrixForm(request.GET or None)
    rows_kind = "coalitions"
    if form.is_bound:
        if form.is_valid():
            rows_kind = form.cleaned_data["rows"] or rows_kind
        else:
            warn_ignored(request, form)
    page_obj = paginator = None
    if rows_kind == "organizations":  # thousands at scale: a page of them at a time
        paginator = Paginator(organizations_with_positions(), MATRIX_ROWS)
        try:
            page_obj = paginator.page(request.GET.get("page") or 1)
        except InvalidPage as error:
            raise PageNotFound(
                "The matrix has no such page: there may be fewer organizations than when the link was made.",
                link=("The first page of the matrix", f"{request.path}?rows=organizations"),
            ) from error
    matrix = stance_matrix(rows_kind, rows=page_obj.object_list if page_obj else None)
    filter_name = "coalition" if rows_kind == "coalitions" else "organization"
    return render(
        request,
        "debates/matrix.html",
        {
            "form": form,
            "rows_kind": rows_kind,
            "matrix": matrix,
            "filter_name": filter_name,
            "page_obj": page_obj,
            "paginator": paginator,
        },
    )
