from django import forms
from django.conf import settings
from django.core.validators import URLValidator

from debates.markup import count_links, render_markdown, url_scheme
from debates.models import Position, PositionForm, Topic
from participation.models import Frequency

MAX_TEXT = 5000


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        help_text="We send one message to confirm; nothing else until you follow its link. Never shown or shared.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    frequency = forms.ChoiceField(
        label="How often?", choices=Frequency.choices, initial=Frequency.DAILY, widget=forms.RadioSelect
    )


class ManageForm(forms.Form):
    """A frequency per alert, and a box to stop each; built for one subscriber's alerts."""

    def __init__(self, *args, subscriptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.subscriptions = list(subscriptions)
        for s in self.subscriptions:
            self.fields[f"frequency_{s.pk}"] = forms.ChoiceField(
                label=f"How often: {s.label}", choices=Frequency.choices, initial=s.frequency
            )
            self.fields[f"stop_{s.pk}"] = forms.BooleanField(label=f"Stop this alert: {s.label}", required=False)

    def rows(self):
        return [(s, self[f"frequency_{s.pk}"], self[f"stop_{s.pk}"]) for s in self.subscriptions]


class HoneypotMixin(forms.Form):
    # A field people never see: bots fill it in (as on the comment form).
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_honeypot_hit(self) -> bool:
        return bool(self.cleaned_data.get("website"))


def http_url(value: str) -> None:
    """Only http and https, read the way a browser reads a scheme (debates.markup.url_scheme)."""
    URLValidator(schemes=["http", "https"])(value)
    if url_scheme(value) not in {"http", "https"}:
        raise forms.ValidationError("Give the address of a web page, starting with https:// or http://.")


def markdown_field(label: str, *, required: bool, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_TEXT}),
        help_text=help_text or "Markdown: *emphasis*, [a link](https://…), lists.",
    )


class ParticipationForm(HoneypotMixin):
    email = forms.EmailField(
        label="Your e-mail (optional)",
        required=False,
        help_text="Only to tell you what the moderators decided. Never shown or shared.",
    )
    markdown_fields = ()

    def clean(self):
        cleaned = super().clean()
        links = 0
        for name in self.markdown_fields:
            if name in cleaned:
                # Rendered once, by the sanitizer; the admin shows only this HTML.
                cleaned[f"{name}_html"] = render_markdown(cleaned[name])
                links += count_links(cleaned[f"{name}_html"])
        if links > settings.SUGGESTION_MAX_LINKS:
            raise forms.ValidationError(
                f"Please include at most {settings.SUGGESTION_MAX_LINKS} links in your text; this has {links}."
            )
        return cleaned


class SuggestionForm(ParticipationForm):
    speaker_name = forms.CharField(label="Who said it", max_length=200)
    organization_name = forms.CharField(
        label="For whom (optional)",
        max_length=200,
        required=False,
        help_text="The organization they spoke for, or leave empty if they spoke for themselves.",
    )
    form = forms.ChoiceField(label="Quote or paraphrase", choices=PositionForm.choices, widget=forms.RadioSelect)
    words = forms.CharField(
        label="What was said",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT}),
        help_text="A direct quote word for word, or a paraphrase in your own words.",
    )
    said_on = forms.DateField(label="When (optional)", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    topics = forms.ModelMultipleChoiceField(
        label="Topics (optional)", queryset=Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    source_url = forms.CharField(
        label="Source URL",
        max_length=500,
        validators=[http_url],
        help_text="Where it can be read or heard: an article, a transcript, a post.",
        widget=forms.URLInput(attrs={"placeholder": "https://…"}),
    )
    note_markdown = markdown_field("Anything else (optional)", required=False)
    markdown_fields = ("note_markdown",)
    field_order = ["speaker_name", "organization_name", "form", "words", "said_on", "topics", "source_url"]


class CorrectionForm(ParticipationForm):
    position = forms.ModelChoiceField(
        label="Which position (the last part of its address)",
        queryset=Position.objects.all(),
        to_field_name="slug",
        widget=forms.TextInput(attrs={"placeholder": "e.g. yann-lecun-massive-corporate-lobbying"}),
        error_messages={"invalid_choice": "No position has that address; copy it from the position's page."},
    )
    problem_markdown = markdown_field("What is wrong", required=True)
    evidence_markdown = markdown_field(
        "Your evidence",
        required=True,
        help_text="Where the right version can be checked: a link, a document, a recording. Markdown allowed.",
    )
    markdown_fields = ("problem_markdown", "evidence_markdown")
    field_order = ["position", "problem_markdown", "evidence_markdown"]
