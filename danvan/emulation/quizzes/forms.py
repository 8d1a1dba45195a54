"""Forms of the quiz pages; the services check again and say what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.accounts.policy import Perm
from danvan.core import tables
from danvan.core.forms import DateField, TextField
from danvan.core.tables import FileRejected
from danvan.orgs.fields import UnitChoiceField, for_user

from . import importing
from .models import Difficulty, Topic
from .services import ChoiceSpec, QuestionSpec

CHOICE_ROWS = 6


class QuestionForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit whose bank holds the question"), perm=Perm.EMULATION_MANAGE)
    text = TextField(label=_("Question"), rows=3, max_length=4000)
    topic = TextField(
        label=_("Topic"),
        max_length=200,
        help_text=_("An existing topic or a new one, e.g. “Dân chủ ở cơ sở”."),
        widget=forms.TextInput(attrs={"list": "quiz-topics"}),
    )
    difficulty = forms.ChoiceField(label=_("Difficulty"), choices=Difficulty.choices)
    source = TextField(
        label=_("Source document"),
        max_length=300,
        required=False,
        help_text=_("e.g. Nghị quyết 25-NQ/TW, Luật Thực hiện dân chủ ở cơ sở 2022"),
    )
    explanation = TextField(
        label=_("Explanation (shown after the attempt)"), rows=2, max_length=4000, required=False
    )

    service_fields = {"choices": None}

    def __init__(self, *args, user=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        for index in range(1, CHOICE_ROWS + 1):
            letter = importing.LETTERS[index - 1]
            self.fields[f"choice_{index}"] = TextField(
                label=_("Choice %(letter)s") % {"letter": letter}, max_length=1000, required=False
            )
            self.fields[f"right_{index}"] = forms.BooleanField(
                label=_("Choice %(letter)s is right") % {"letter": letter}, required=False
            )
        if editing:
            del self.fields["unit"]
        for_user(self, user)

    def unit_fields(self):
        return [self["unit"]] if "unit" in self.fields else []

    def main_fields(self):
        return [self[name] for name in ("text", "topic", "difficulty", "source", "explanation")]

    def choice_rows(self):
        return [(self[f"choice_{index}"], self[f"right_{index}"]) for index in range(1, CHOICE_ROWS + 1)]

    def spec(self) -> QuestionSpec:
        data = self.cleaned_data
        return QuestionSpec(
            text=data["text"],
            topic=data["topic"],
            difficulty=data["difficulty"],
            source=data["source"],
            explanation=data["explanation"],
            choices=[
                ChoiceSpec(text=data[f"choice_{index}"], correct=data[f"right_{index}"])
                for index in range(1, CHOICE_ROWS + 1)
                if data[f"choice_{index}"]
            ],
        )


class ImportForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit whose bank receives the questions"), perm=Perm.EMULATION_MANAGE)
    file = forms.FileField(label=_("File (.xlsx, .csv or .docx)"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for_user(self, user)

    def clean_file(self):
        try:
            return tables.check_upload(
                self.cleaned_data["file"],
                kinds=importing.KINDS,
                choose=str(_("Choose a .xlsx, .csv or .docx file.")),
            )
        except FileRejected as rejected:
            raise forms.ValidationError(rejected.error.message, code=rejected.code) from None


class QuizForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit whose people take the quiz"), perm=Perm.EMULATION_MANAGE)
    title = TextField(label=_("Title"), max_length=300)
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics (none chosen: every topic)"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    easy_count = forms.IntegerField(label=_("Easy questions"), min_value=0, max_value=200, initial=10)
    medium_count = forms.IntegerField(label=_("Medium questions"), min_value=0, max_value=200, initial=5)
    hard_count = forms.IntegerField(label=_("Hard questions"), min_value=0, max_value=200, initial=5)
    minutes = forms.IntegerField(label=_("Time limit (minutes)"), min_value=1, max_value=600, initial=20)
    opens_on = DateField(label=_("Opens on"))
    closes_on = DateField(label=_("Closes on"))
    attempts_allowed = forms.IntegerField(
        label=_("Attempts allowed per person"), min_value=1, max_value=20, initial=1
    )
    shuffle_choices = forms.BooleanField(label=_("Shuffle the choices"), required=False, initial=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for_user(self, user)


class QuizEditForm(QuizForm):
    """The quiz form without its unit (a quiz stays with the unit that set it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["unit"]


class BankFilterForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.all(), required=False, empty_label=_("All topics")
    )
    difficulty = forms.ChoiceField(
        label=_("Difficulty"), choices=[("", _("All difficulties")), *Difficulty.choices], required=False
    )
