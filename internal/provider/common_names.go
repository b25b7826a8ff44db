package provider

import (
	"context"
	"crypto/rand"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// nameAttributes are the `name` and `name_prefix` arguments every certificate resource
// shares: the service cannot rename, so both replace.
func nameAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"name": schema.StringAttribute{
			MarkdownDescription: "Name of the certificate in Certificate Manager: " + nameRuleText + ", unique in the account. " +
				"Changing it replaces the certificate (the service cannot rename). Conflicts with `name_prefix`; when both are omitted a name starting with `" + defaultNamePrefix + "` is generated.",
			Optional:      true,
			Computed:      true,
			Validators:    nameValidators(), // the conflict with name_prefix: checkNameChoice
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
		},
		"name_prefix": schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("Creates a unique name starting with this prefix (at most %d characters; a random %d-character suffix is added). "+
				"Use it with `create_before_destroy` so a replacement can exist beside the certificate it replaces.", maxNamePrefixLength, generatedSuffixLen),
			Optional:      true,
			Validators:    namePrefixValidators(),
			PlanModifiers: []planmodifier.String{namePrefixRequiresReplace()},
		},
	}
}

// The service's name rule (API doc §5.2): 3–20 letters, digits or '-', starting with a letter.
const (
	nameMinLength       = 3
	nameMaxLength       = 20
	generatedSuffixLen  = 8
	maxNamePrefixLength = nameMaxLength - generatedSuffixLen
	defaultNamePrefix   = "tf-"
)

var (
	nameRegexp       = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{2,19}$`)
	namePrefixRegexp = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{0,11}$`)
)

const nameRuleText = "3–20 characters: English letters, digits and '-', starting with a letter"

func nameValidators() []validator.String {
	return []validator.String{
		stringvalidator.RegexMatches(nameRegexp, "must be "+nameRuleText),
	}
}

func namePrefixValidators() []validator.String {
	return []validator.String{
		stringvalidator.RegexMatches(namePrefixRegexp, "must be 1–12 characters: English letters, digits and '-', starting with a letter (a random 8-character suffix completes the name)"),
	}
}

// namePrefixRequiresReplace replaces only when the current name does not carry the planned
// prefix: an imported certificate whose name already fits, or a prefix removed from the
// configuration, changes nothing on the service.
func namePrefixRequiresReplace() planmodifier.String {
	const desc = "Replaces the certificate when its name does not start with the new prefix."
	return stringplanmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
		if req.PlanValue.IsUnknown() {
			resp.RequiresReplace = true
			return
		}
		var name types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("name"), &name)...)
		resp.RequiresReplace = !strings.HasPrefix(name.ValueString(), req.PlanValue.ValueString())
	}, desc, desc)
}

const suffixAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// generateName appends a random suffix to prefix so that the result fits the name rule.
func generateName(prefix string) string {
	if prefix == "" {
		prefix = defaultNamePrefix
	}
	n := generatedSuffixLen
	if len(prefix)+n > nameMaxLength {
		n = nameMaxLength - len(prefix)
	}
	buf := make([]byte, n)
	_, _ = rand.Read(buf)
	for i := range buf {
		buf[i] = suffixAlphabet[int(buf[i])%len(suffixAlphabet)]
	}
	return prefix + string(buf)
}
