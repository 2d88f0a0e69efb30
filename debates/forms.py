from django import forms

from debates.filters import SEARCH_MAX_LENGTH
from debates.models import Topic
from members.models import Stance


class CompareForm(forms.Form):
    a = forms.CharField(label="Left side", max_length=200)
    b = forms.CharField(label="Right side", max_length=200)


class MatrixForm(forms.Form):
    rows = forms.ChoiceField(
        label="Rows", choices=[("coalitions", "Coalitions"), ("organizations", "Organizations")], required=False
    )


class TimelineForm(forms.Form):
    topic = forms.ModelChoiceField(
        label="Topic", queryset=Topic.objects.all(), to_field_name="slug", required=False, empty_label="All topics"
    )
    camp = forms.ChoiceField(label="Camp", choices=[("", "All camps"), *Stance.choices], required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=SEARCH_MAX_LENGTH)
